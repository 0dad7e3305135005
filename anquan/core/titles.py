"""Structured data as people read it: the keys of a pydantic-typed value replaced by its fields' titles, so an
audit entry of a document's content or a rule's figures reads 当事人 / 办案期限（日） rather than field names."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel


def model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model a field's annotation holds (`Row`, `list[Row]`, `list[Row] | None`), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_of(arg)
        if found is not None:
            return found
    return None


def titled(schema: type[BaseModel], data: Any) -> Any:
    """`data` (a dict of `schema`'s fields, as stored) with each key replaced by its field's title, nested
    models and lists of models too; keys the schema does not know are kept as they are."""
    if not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for key, value in data.items():
        field = schema.model_fields.get(key)
        if field is None:
            out[key] = value
            continue
        inner = model_of(field.annotation)
        if inner is not None and isinstance(value, list):
            value = [titled(inner, v) for v in value]
        elif inner is not None:
            value = titled(inner, value)
        out[field.title or key] = value
    return out
