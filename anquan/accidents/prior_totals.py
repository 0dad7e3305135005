"""Last year's totals entered by a safety committee office (上年同期数据填报), for the months the system did not
record: one entry per region and month, appended (the newest counts, the older ones are its history), each in
the audit log. Read by `comparison.Known` where the records cannot say what last year was."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.periods import month_end
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.regions.inputs import region_field
from anquan.regions.models import Region

from .comparison import whole_area
from .models import PriorTotals

MAX_FIGURE = 1_000_000


def may_enter(user) -> bool:
    """The offices that issue bulletins enter last year's totals of their area (not departments or enterprises)."""
    return has_perm(user, Perm.BULLETIN_ISSUE) and whole_area(user)


def _region(raw, errors: list[FieldError], user) -> Region | None:
    return region_field(raw, user, errors, blank="required")


def enter(user, raw: dict, *, today: dt.date | None = None) -> PriorTotals:
    """Record one month's accidents and deaths of a region: 403 for a role that may not, 422 per field for a
    bad region, a month that has not ended, or a figure that is not a whole number ≥ 0."""
    if not may_enter(user):
        raise NotPermitted("只有安委办可以填报上年同期数据")
    today = today or timezone.localdate()
    errors: list[FieldError] = []
    region = _region(raw.get("region"), errors, user)
    year = inputs.integer(raw.get("year"), "year", "年份", errors, low=1949, high=today.year)
    month = inputs.integer(raw.get("month"), "month", "月份", errors, low=1, high=12)
    figures = {
        name: inputs.integer(raw.get(name), name, label, errors, high=MAX_FIGURE)
        for name, label in (("accidents", "事故起数"), ("deaths", "死亡人数"))
    }
    note = inputs.text(raw.get("note"), "note", "说明", errors, max_length=200)
    for name, label, value in (("year", "年份", year), ("month", "月份", month)):
        if value is None and not any(e.field == name for e in errors):
            errors.append(FieldError(name, "required", f"请填写{label}"))
    for name, value in figures.items():
        if value is None and not any(e.field == name for e in errors):
            errors.append(FieldError(name, "required", "请填写数字（没有则填0）"))
    if year is not None and month is not None and month_end(year, month) >= today:
        errors.append(FieldError("month", "not_ended", f"{year}年{month}月尚未结束，不能填报"))
    if errors:
        raise ValidationFailed(errors)
    assert region is not None and year is not None and month is not None
    entry = PriorTotals(
        region=region,
        year=year,
        month=month,
        accidents=figures["accidents"],
        deaths=figures["deaths"],
        note=note,
        entered_by=user,
    )
    with transaction.atomic():
        entry.save()
        audit.record_create(
            entry,
            actor=user,
            comment=f"填报{region.name}{year}年{month}月事故{entry.accidents}起、死亡{entry.deaths}人",
        )
    return entry


def entries(user, region_code: str | None = None, year: int | None = None) -> QuerySet[PriorTotals]:
    """The entries the user may see (of a region's code and a year, when given), history included, newest first."""
    qs = restrict(PriorTotals, user).select_related("region", "entered_by")
    if region_code:
        qs = qs.filter(region_code=region_code)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-entered_at", "-id")


def history(user, region: Region, year: int) -> QuerySet[PriorTotals]:
    """Every entry of the region's year the user may see, newest first."""
    return entries(user, region.code, year)


def current(user, region: Region, year: int) -> dict[int, PriorTotals]:
    """The entry that counts for each month of the year (the newest)."""
    latest: dict[int, PriorTotals] = {}
    for entry in history(user, region, year):
        latest.setdefault(entry.month, entry)
    return latest
