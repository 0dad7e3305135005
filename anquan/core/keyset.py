"""Keyset ("seek") pagination for deep pages of the big lists (issue #18; docs/adr/0049-capped-counts-and-keyset-pages.md).

A page far into a province's ledger must not be `OFFSET 500000`: the database would read and throw away half a
million rows. A cursor names the last (or first) row of the page the user is on by the values of the list's
ordering, and the next page is "the rows after those values" — an index on the ordering reads only the page.

The cursor is opaque to users and clients: URL-safe base64 of JSON `{"o": ordering, "v": values}`. A list can
be walked this way when its ordering ends in the primary key and every field before it is a non-null column of
the model (otherwise rows with equal or missing values could be skipped or repeated); `keyset_ordering` says
whether it can. A cursor that does not decode, or was made for another ordering, is refused with
ValidationFailed naming the parameter (API 422, the pages show the message) — never a 500.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Sequence
from typing import NoReturn

from django.db import models
from django.db.models import Q, QuerySet

from .errors import FieldError, ValidationFailed

INVALID = "翻页位置无效，请从第一页重新翻页"


def ordering_of(qs: QuerySet) -> tuple[str, ...]:
    """The ordering `qs` is read in: its own `order_by`, else the model's default."""
    order = qs.query.order_by or (qs.model._meta.ordering if qs.query.default_ordering else ())
    return tuple(o for o in order if isinstance(o, str))


def _field(model, name: str):
    name = name.lstrip("-")
    if name == "pk":
        return model._meta.pk
    try:
        return model._meta.get_field(name)
    except Exception:  # a related path or an annotation: not walkable by cursor
        return None


def keyset_ordering(qs: QuerySet) -> tuple[str, ...] | None:
    """The ordering of `qs` if a cursor can walk it (non-null concrete columns ending in the primary key)."""
    order = ordering_of(qs)
    if not order:
        return None
    fields = [_field(qs.model, o) for o in order]
    if any(f is None or not f.concrete or f.null or f.is_relation for f in fields):
        return None
    if not fields[-1].primary_key:
        return None
    return order


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def cursor(obj: models.Model, order: Sequence[str]) -> str:
    """The cursor that names `obj`'s place in a list read in `order`."""
    values = [_plain(getattr(obj, "pk" if o.lstrip("-") == "pk" else o.lstrip("-"))) for o in order]
    raw = json.dumps({"o": list(order), "v": values}, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _refuse(param: str, message: str = INVALID) -> NoReturn:
    raise ValidationFailed([FieldError(param, "invalid", message)])


def _value(field, value, param: str):
    if isinstance(field, models.DateTimeField):
        if not isinstance(value, str):
            _refuse(param)
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            _refuse(param)
        return parsed
    if isinstance(field, models.DateField):
        return dt.date.fromisoformat(value) if isinstance(value, str) else _refuse(param)
    if isinstance(field, models.IntegerField | models.AutoField | models.BigAutoField):
        if isinstance(value, bool) or not isinstance(value, int):
            _refuse(param)
        return value
    if isinstance(field, models.CharField | models.TextField):
        return value if isinstance(value, str) else _refuse(param)
    if isinstance(field, models.BooleanField):
        return value if isinstance(value, bool) else _refuse(param)
    _refuse(param)


def decode(token: str, qs: QuerySet, param: str) -> list:
    """The ordering values a cursor holds, checked against the list's ordering and its fields' types."""
    order = keyset_ordering(qs)
    if order is None:
        _refuse(param, "该列表的当前排序不支持按位置翻页，请按页码翻页")
    try:
        raw = base64.urlsafe_b64decode(str(token) + "=" * (-len(str(token)) % 4))
        body = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        _refuse(param)
    if not isinstance(body, dict) or body.get("o") != list(order):
        _refuse(param)
    values = body.get("v")
    if not isinstance(values, list) or len(values) != len(order):
        _refuse(param)
    try:
        return [_value(_field(qs.model, o), v, param) for o, v in zip(order, values, strict=True)]
    except ValueError:  # a malformed date inside an otherwise well-formed cursor
        _refuse(param)


def seek(qs: QuerySet, values: list, *, backwards: bool = False) -> QuerySet:
    """The rows of `qs` after the place `values` names (before it, in reverse order, when `backwards`).

    Written as (a < x) OR (a = x AND b < y) … plus the first column's bound on its own, which lets an index
    on the ordering start at the place instead of filtering from the top."""
    order = keyset_ordering(qs)
    assert order is not None
    names = [o.lstrip("-") for o in order]
    ahead = [o.startswith("-") == backwards for o in order]  # ascending after the place, per column
    condition = Q()
    for i, name in enumerate(names):
        step = Q(**{f"{name}__{'gt' if ahead[i] else 'lt'}": values[i]})
        for j in range(i):
            step &= Q(**{names[j]: values[j]})
        condition |= step
    bound = Q(**{f"{names[0]}__{'gte' if ahead[0] else 'lte'}": values[0]})
    rows = qs.filter(bound, condition)
    if backwards:
        rows = rows.order_by(*[o[1:] if o.startswith("-") else f"-{o}" for o in order])
    return rows
