"""One filter definition for the inspection list page, its Excel export and the API (STYLE 8)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Q, QuerySet

from anquan.core.errors import FieldError, ValidationFailed
from anquan.regions.inputs import subtree

from .choices import Kind, Status
from .models import Inspection

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
KEYS = ("department", "region", "enterprise", "kind", "status", "month", "inspector")


def month_range(value: str) -> tuple[dt.date, dt.date]:
    """ "2026-12" → the first day of that month and of the next; 422 otherwise."""
    m = MONTH.match(value.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or not 1949 <= int(m.group(1)) <= 2100:
        raise ValidationFailed([FieldError("month", "invalid", "月份格式应为“年-月”，如 2026-12")])
    year, month = int(m.group(1)), int(m.group(2))
    start = dt.date(year, month, 1)
    end = dt.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def apply(qs: QuerySet[Inspection], params: dict[str, Any]) -> QuerySet[Inspection]:
    """params: department (id), region (code: the issuing unit's region or below), enterprise (name, USCC or
    id), kind, status, month (YYYY-MM of the planned date), inspector (username). Blank ones are ignored; an
    unknown kind, status or a bad month is refused (422) rather than ignored."""

    def value(key: str) -> str:
        return str(params.get(key) or "").strip()

    if value("department").isdigit():
        qs = qs.filter(department_id=int(value("department")))
    if value("region"):
        qs = qs.filter(subtree(value("region"), "region__code"))
    text = value("enterprise")
    if text:
        match = Q(enterprise__name__icontains=text) | Q(enterprise__uscc=text.upper())
        if text.isdigit() and len(text) < 10:
            match |= Q(enterprise_id=int(text))
        qs = qs.filter(match)
    if value("kind"):
        if value("kind") not in Kind.values:
            raise ValidationFailed([FieldError("kind", "invalid_choice", "检查类别无效")])
        qs = qs.filter(kind=value("kind"))
    if value("status"):
        if value("status") not in Status.values:
            raise ValidationFailed([FieldError("status", "invalid_choice", "检查状态无效")])
        qs = qs.filter(status=value("status"))
    if value("month"):
        start, end = month_range(value("month"))
        qs = qs.filter(planned_on__gte=start, planned_on__lt=end)
    if value("inspector"):
        qs = qs.filter(inspectors__username=value("inspector"))
    return qs
