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
from anquan.core.titles import model_of

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


def read(
    rule: RuleKind, data: QueryDict, current: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, str], list[FieldError]]:
    """(the figures to validate, the raw text to show again, errors). A compound figure (a table such as the
    penalty articles) is not edited on the page: it is carried over from the version in force (the API's
    `POST /api/v1/rules/{key}/versions` takes it whole)."""
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    errors: list[FieldError] = []  # none yet: every simple input is checked by the schema
    for field in inputs(rule, {}):
        text = data.get(f"values.{field.name}", "")
        raw[field.name] = text
        if field.kind == "checkbox":
            values[field.name] = bool(text)
        elif field.kind == "json":
            if current is not None and field.name in current:
                values[field.name] = current[field.name]
        elif text.strip() != "":
            values[field.name] = text.strip()
    return values, raw, errors


def _pretty(annotation: Any, value: Any, labels: Any) -> str:
    """A value as a reader reads it: yes/no, "—" for none, a table's rows with their columns' titles (whatever
    wraps the row model: `list[Row]`, `list[Row] | None`)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    model = model_of(annotation)
    if isinstance(value, list):
        return "；".join(_pretty(model, v, labels) for v in value) or "—"
    if isinstance(value, dict) and model is not None:
        parts = []
        for name, field in model.model_fields.items():
            extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
            if extra.get("hidden") or value.get(name) in (None, ""):
                continue
            parts.append(f"{field.title or name}：{_pretty(field.annotation, value.get(name), labels)}")
        return "，".join(parts)
    if isinstance(value, str) and value in labels:
        return str(labels[value])
    if isinstance(value, dict):
        return "；".join(f"{labels.get(k, k)}：{_pretty(None, v, labels)}" for k, v in value.items())
    return str(value)


def figures(rule: RuleKind, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value as shown) for each figure of a version."""
    return [
        (field.title or name, _pretty(field.annotation, values.get(name, _default(field)), rule.value_labels))
        for name, field in rule.schema.model_fields.items()
    ]


def _default(field: Any) -> Any:
    """A figure added to a kind after a version was stored reads its schema default (what the rule's users get
    from `model_validate`), so the page shows what is applied."""
    return None if field.is_required() else field.get_default(call_default_factory=True)
