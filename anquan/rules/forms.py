"""The new-version form, generated from a kind's schema: one labelled input per figure."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import QueryDict

from anquan.core.errors import FieldError

from .registry import RuleKind

SIMPLE = {int: "number", float: "number", Decimal: "number", str: "text", bool: "checkbox", date: "date"}


@dataclass(frozen=True)
class Input:
    name: str  # the schema field; the form input is "values.<name>"
    title: str
    kind: str  # number | text | checkbox | date | json
    value: str
    help: str


def _input_kind(annotation: Any) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Literal:
        return "text"
    return SIMPLE.get(annotation, "json")


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, indent=1)
    if kind == "checkbox":
        return "1" if value else ""
    return str(value)


def inputs(rule: RuleKind, values: dict[str, Any]) -> list[Input]:
    """The inputs, filled with `values` (the version in force, or what the user typed)."""
    out = []
    for name, field in rule.schema.model_fields.items():
        kind = _input_kind(field.annotation)
        raw = values.get(name)
        out.append(
            Input(
                name=name,
                title=field.title or name,
                kind=kind,
                value=raw if isinstance(raw, str) and kind != "json" else _shown(raw, kind),
                help=field.description or "",
            )
        )
    return out


def read(rule: RuleKind, data: QueryDict) -> tuple[dict[str, Any], dict[str, str], list[FieldError]]:
    """(the figures to validate, the raw text to show again, errors): JSON inputs parsed, a bad one an error."""
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    errors = []
    for field in inputs(rule, {}):
        text = data.get(f"values.{field.name}", "")
        raw[field.name] = text
        if field.kind == "checkbox":
            values[field.name] = bool(text)
        elif field.kind == "json":
            try:
                values[field.name] = json.loads(text) if text.strip() else None
            except ValueError:
                errors.append(FieldError(f"values.{field.name}", "invalid", "格式不正确：应为JSON"))
        elif text.strip() != "":
            values[field.name] = text.strip()
    return values, raw, errors


def figures(rule: RuleKind, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value as shown) for each figure of a version: 是/否 for yes-no, JSON kept compact."""
    out = []
    for field in inputs(rule, values):
        value = values.get(field.name)
        if field.kind == "checkbox":
            shown = "是" if value else "否"
        elif field.kind == "json":
            shown = json.dumps(value, ensure_ascii=False) if value is not None else "—"
        else:
            shown = "—" if value in (None, "") else str(value)
        out.append((field.title, shown))
    return out
