"""`errors|pairs`: the (field, message) pairs of a page's field errors (core.errors.form_errors), for the banner
above a form. A template cannot write `errors.items` for that: a field named `items` (the items of an order, the
things seized) is looked up first and the page fails. A builtin (settings TEMPLATES), so every template has it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def pairs(errors: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    return list(errors.items()) if errors else []
