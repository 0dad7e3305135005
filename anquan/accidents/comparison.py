"""What is known of the same period last year (上年同期), month by month.

A month of last year is known from the records when the system was in use then (`records_from`: the
`STATS_RECORDS_FROM` setting, else the first day of the month of the earliest accident recorded), or from the
totals a safety committee office entered for it (`PriorTotals`; the newest entry counts and, for a whole month,
takes precedence over the records). A period last year is known when each of its months is; otherwise the
comparison is left out. Entered totals are figures for a whole area, so they serve only accounts that see a
whole area (not a department's industries or one enterprise) and only months the period covers entirely.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from anquan.core.periods import Span
from anquan.core.scope import restrict
from anquan.regions.models import Region

from .models import Accident, PriorTotals

NOTE_ENTERED = "上年同期数据含安委办填报数。"
NOTE_UNKNOWN = "上年同期系统尚未启用且未填报上年数据，不作同比。"


def records_from() -> dt.date | None:
    """The first day the accident records are taken as complete; None when nothing was ever recorded.
    A deployment that knows better sets STATS_RECORDS_FROM (the environment variable, read by settings.py)."""
    configured = getattr(settings, "STATS_RECORDS_FROM", None)
    if configured:
        return configured if isinstance(configured, dt.date) else dt.date.fromisoformat(str(configured))
    first = Accident.objects.order_by("occurred_at").values_list("occurred_at", flat=True).first()
    return None if first is None else timezone.localdate(first).replace(day=1)


def whole_area(user) -> bool:
    return not getattr(user, "department_id", None) and not getattr(user, "enterprise_id", None)


def entered(user, region: Region, span: Span) -> dict[tuple[str, int, int], tuple[int, int]]:
    """The newest entered (accidents, deaths) by (region code, year, month) for the region and its children."""
    if not whole_area(user):
        return {}
    codes = [region.code, *Region.objects.filter(parent=region).values_list("code", flat=True)]
    rows = (
        restrict(PriorTotals, user)
        .filter(region_code__in=codes, year__gte=span.start.year, year__lte=span.end.year)
        .order_by("entered_at", "id")
        .values_list("region_code", "year", "month", "accidents", "deaths")
    )
    return {(code, y, m): (a, d) for code, y, m, a, d in rows}


def note(previous: dict | None) -> str:
    if previous is None:
        return NOTE_UNKNOWN
    return "" if previous["source"] == "records" else NOTE_ENTERED


class Known:
    """The same period last year (`span`) of one area and its children, as far as it is known."""

    def __init__(self, user, region: Region, span: Span, names: tuple[str, ...]):
        self.span, self.names = span, names
        self.start = records_from()
        self.entered = entered(user, region, span)

    def month(self, code: str, year: int, month: int) -> str | None:
        """ "taken" (entered totals), "counted" (records) or None (unknown) for one month of the span."""
        if self.span.covers_month(year, month) and (code, year, month) in self.entered:
            return "taken"
        first = max(self.span.start, dt.date(year, month, 1))
        return "counted" if self.start is not None and first >= self.start else None

    def recorded(self, code: str) -> bool:
        """Whether the whole span is known from the records alone (groupings entered totals cannot split)."""
        return all(self.month(code, y, m) == "counted" for y, m in self.span.months())

    def totals(self, code: str, by_month: dict, key: str | None = None) -> dict | None:
        """Last year's metrics of the area `code` (records by (key, "YYYY-MM") in `by_month`), with `source`
        records / entered / mixed; metrics other than count and deaths are None where totals were entered."""
        out: dict = dict.fromkeys(self.names, 0)
        counted = taken = 0
        for y, m in self.span.months():
            how = self.month(code, y, m)
            if how is None:
                return None
            if how == "taken":
                accidents, deaths = self.entered[(code, y, m)]
                out = {k: (v if k in ("count", "deaths") else None) for k, v in out.items()}
                out["count"] += accidents
                out["deaths"] += deaths
                taken += 1
                continue
            counted += 1
            for k, v in by_month.get((key, f"{y}-{m:02d}"), {}).items():
                if out.get(k) is not None:
                    out[k] += v
        out["source"] = "records" if not taken else ("entered" if not counted else "mixed")
        return out
