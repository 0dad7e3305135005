"""Hazard statistics: 分地方、分行业 counts, rectification rate (整改率) and days to close, and the 清零 view.

The figures are sums of the roll-up's cells (rollup.py, ADR 0051) when the filters are ones a cell can answer,
otherwise the same aggregation over the hazards themselves; both give the same figures.

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
from anquan.core.scope import restrict, within
from anquan.orgs.models import Industry
from anquan.regions.inputs import region_field
from anquan.regions.models import Region, counts_by_child

from . import filters, rollup
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


def compute(user, params: dict, group_by: str, *, live: bool = False) -> dict:
    """The figures of `params` grouped by `group_by`; `live`: aggregate the hazards even when the roll-up could
    answer (the roll-up's own check, and the benchmark's comparison)."""
    if group_by not in GROUPINGS:
        raise ValidationFailed(
            [FieldError("group_by", "invalid_choice", "分组方式应为 region、industry、level 或 month")]
        )
    region = region_field(params.pop("region", None), user)  # blank: the user's own
    assert region is not None
    qs = filters.apply(restrict(Hazard, user), params).filter(within(region.prefix)).order_by()  # validates
    finest = region.prefix
    if group_by == "region":  # grouped by the children's codes
        finest = Region.objects.filter(parent=region).values_list("prefix", flat=True).first() or finest
    cells = None if live else rollup.cells(user, params, region.prefix, len(finest))
    if cells is None:
        source = _Source(qs, METRICS, lambda values: values)
    else:
        source = _Source(cells, rollup.METRICS, rollup.with_average)
    items = _items(source, group_by, region)
    total = _row("total", "合计", source.total())
    return {
        "region": region.code,
        "region_name": region.full_name,
        "group_by": group_by,
        "period_label": _period_label(params),
        "found_from": params.get("found_from") or None,
        "found_to": params.get("found_to") or None,
        "items": items,
        "total": total,
    }


class _Source:
    """Where the figures come from: the hazards (METRICS) or the roll-up's cells (rollup.METRICS)."""

    def __init__(self, qs, metrics: dict, finish) -> None:
        self.qs, self.metrics, self.finish = qs, metrics, finish
        self.cells = metrics is rollup.METRICS
        self.groups: list[dict] | None = None  # every group of the cells, whose sums are the total

    def grouped(self, qs, *keys: str):
        rows = list(qs.values(*keys).annotate(**self.metrics))
        if self.cells:
            self.groups = rows
        return [self.finish(dict(r)) for r in rows]

    def total(self) -> dict:
        """The cells' groups cover all of them (a region's own code is a group of its own), and every cell figure
        is a sum: their sums are the total without a second pass over the cells."""
        if self.groups is not None:
            return self.finish({k: sum(r[k] for r in self.groups) for k in self.metrics})
        return self.finish(self.qs.aggregate(**self.metrics))


def _items(source: _Source, group_by: str, region: Region) -> list[dict]:
    qs = source.qs
    if group_by == "region":
        children = list(Region.objects.filter(parent=region))
        if not children:
            return []
        length = len(children[0].prefix)
        grouped = {r["k"]: r for r in source.grouped(qs.annotate(k=Substr("region_code", 1, length)), "k")}
        empty = dict.fromkeys(METRICS, 0) | {"avg_close": None}
        return [_row(c.code, c.name, grouped.get(c.prefix, empty)) for c in children]
    if group_by == "industry":
        if source.cells:
            names = (
                dict(Industry.objects.values_list("id", "code")),
                dict(Industry.objects.values_list("id", "name")),
            )
            rows = [
                r
                | {
                    "industry__code": names[0].get(r["industry_id"]),
                    "industry__name": names[1].get(r["industry_id"]),
                }
                for r in source.grouped(qs, "industry_id")
            ]
        else:
            rows = source.grouped(qs, "industry__code", "industry__name")
        rows.sort(key=lambda r: (-r["found"], r["industry__code"] or ""))
        return [_row(r["industry__code"], r["industry__name"] or "未分类", r) for r in rows]
    if group_by == "level":
        rows = sorted(source.grouped(qs, "level"), key=lambda r: r["level"])
        return [_row(r["level"], str(Level(r["level"]).label), r) for r in rows]
    if source.cells:
        rows = source.grouped(qs.annotate(m=F("month")), "m")
    else:
        rows = source.grouped(
            qs.annotate(m=TruncMonth("found_at", tzinfo=timezone.get_current_timezone())), "m"
        )
    rows.sort(key=lambda r: r["m"])
    return [_row(r["m"].strftime("%Y-%m"), r["m"].strftime("%Y年%m月"), r) for r in rows]


def _period_label(params: dict) -> str:
    """ "2026年1-11月" for found_from 2026-01-01 and found_to 2026-11-30, "截至2026年12月1日" for found_to alone,
    "2026年3月5日起" for found_from alone; "" when neither is given (the dates are valid: `filters.apply` has
    refused anything else)."""
    start, end = (
        dt.date.fromisoformat(str(x)) if x else None
        for x in (params.get("found_from"), params.get("found_to"))
    )
    if start and end:
        return periods.full_label(start, end) if start <= end else ""
    if end:
        return f"截至{periods.chinese_date(end)}"
    return f"{periods.chinese_date(start)}起" if start else ""


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
