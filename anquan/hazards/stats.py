"""Hazard statistics: 分地方、分行业 counts, rectification rate (整改率) and days to close, and the 清零 view.

The statistics page shows by default the hazards found in the year to the last complete month ("2026年1-11月"
on 1 December, `default_period`); the API counts every hazard unless `found_from` / `found_to` are given.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from anquan.core import periods
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import region_in_scope, restrict, within
from anquan.regions.models import Region, counts_by_child

from . import filters
from .choices import OPEN_STATUSES, Level, Status
from .models import Hazard

GROUPINGS = ("region", "industry", "level", "month")

METRICS = dict(
    found=Count("id"),
    closed=Count("id", filter=Q(status=Status.CLOSED)),
    open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
    overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, overdue=True)),
    major_open=Count("id", filter=Q(status__in=OPEN_STATUSES, level=Level.MAJOR)),
    avg_close=Avg(
        ExpressionWrapper(F("closed_at") - F("found_at"), output_field=DurationField()),
        filter=Q(status=Status.CLOSED),
    ),
)


def rectification_rate(found: int, closed: int) -> float | None:
    """整改率 = closed / found, in %, one decimal; no hazards found → no rate."""
    return round(closed * 100 / found, 1) if found else None


def _row(key, label, values: dict) -> dict:
    found, closed = values["found"], values["closed"]
    avg = values["avg_close"]
    return {
        "key": key,
        "label": label,
        "found": found,
        "closed": closed,
        "open": values["open"],
        "overdue": values["overdue"],
        "major_open": values["major_open"],
        "rectification_rate": rectification_rate(found, closed),
        "avg_days_to_close": round(avg.total_seconds() / 86400, 1) if avg is not None else None,
    }


def compute(user, params: dict, group_by: str) -> dict:
    if group_by not in GROUPINGS:
        raise ValidationFailed(
            [FieldError("group_by", "invalid_choice", "分组方式应为 region、industry、level 或 month")]
        )
    code = params.pop("region", None) or user.region.code
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(user, region.code):
        raise ValidationFailed([FieldError("region", "out_of_scope", "区域不存在或不在您的管辖范围内")])
    qs = filters.apply(restrict(Hazard, user), params).filter(within(region.prefix)).order_by()
    items = []
    if group_by == "region":
        children = list(Region.objects.filter(parent=region))
        if children:
            length = len(children[0].prefix)
            grouped = {
                r["k"]: r
                for r in qs.annotate(k=Substr("region_code", 1, length)).values("k").annotate(**METRICS)
            }
            empty = dict.fromkeys(METRICS, 0) | {"avg_close": None}
            items = [_row(c.code, c.name, grouped.get(c.prefix, empty)) for c in children]
    elif group_by == "industry":
        for r in qs.values("industry__code", "industry__name").annotate(**METRICS).order_by("-found"):
            items.append(_row(r["industry__code"], r["industry__name"] or "未分类", r))
    elif group_by == "level":
        for r in qs.values("level").annotate(**METRICS).order_by("level"):
            items.append(_row(r["level"], str(Level(r["level"]).label), r))
    else:
        tz = timezone.get_current_timezone()
        for r in (
            qs.annotate(m=TruncMonth("found_at", tzinfo=tz)).values("m").annotate(**METRICS).order_by("m")
        ):
            items.append(_row(r["m"].strftime("%Y-%m"), r["m"].strftime("%Y年%m月"), r))
    total = _row("total", "合计", qs.aggregate(**METRICS))
    return {
        "region": region.code,
        "region_name": region.full_name,
        "group_by": group_by,
        "period_label": _period_label(params),
        "found_from": params.get("found_from") or "",
        "found_to": params.get("found_to") or "",
        "items": items,
        "total": total,
    }


def _period_label(params: dict) -> str:
    """ "2026年1-11月" for found_from 2026-01-01 and found_to 2026-11-30; "" unless both are given (valid:
    `filters.apply` has refused anything else)."""
    start, end = params.get("found_from"), params.get("found_to")
    if not start or not end:
        return ""
    start, end = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
    return periods.full_label(start, end) if start <= end else ""


def default_period(query, today: dt.date) -> dict:
    """The found_from / found_to a statistics page starts with: the year to the last complete month, unless
    the query names either date (an empty one included: the user cleared it to see every hazard)."""
    if "found_from" in query or "found_to" in query:
        return {}
    span = periods.year_to_date(today)
    return {"found_from": span.start.isoformat(), "found_to": span.end.isoformat()}


def cleared_view(user, region: Region) -> dict:
    """清零: the child regions and enterprises that still have open major hazards."""
    qs = restrict(Hazard, user).filter(within(region.prefix), level=Level.MAJOR, status__in=OPEN_STATUSES)
    regions = counts_by_child(qs, region)
    enterprises = (
        qs.filter(enterprise__isnull=False)
        .values("enterprise_id", "enterprise__name", "region__full_name")
        .annotate(n=Count("id"), overdue=Count("id", filter=Q(overdue=True)))
        .order_by("-n")
    )
    return {"regions": regions, "enterprises": list(enterprises), "total": qs.count()}
