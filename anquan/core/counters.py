"""Gap-free sequences (docs/adr/0021-hazard-business-numbers.md): the next value of a counter row, taken inside
the caller's transaction and locked until it commits. Two writers at once wait for each other (never the same
value); a writer that fails rolls its value back with it (never a gap). Hazard business numbers and official
document numbers each keep their own counter model (a row per county and year, per unit, kind and year)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F


def take_next(model: type[models.Model], **key: Any) -> int:
    """The next value of `model`'s counter row identified by `key` (created at 0 on first use); the row has an
    integer field `last`. Must run inside a transaction."""
    manager = model._default_manager
    manager.get_or_create(**key)
    last: int = manager.select_for_update().filter(**key).values_list("last", flat=True).get()
    manager.filter(**key).update(last=F("last") + 1)
    return last + 1
