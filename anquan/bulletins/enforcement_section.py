"""The enforcement section (执法检查情况) of the monthly dispatch, quarterly bulletin and yearly evaluation: the
enforcement figures of the bulletin's period (from its first day to the day the figures cover) in the seeds'
words, from `anquan.enforcement.stats` as the user who generates the bulletin sees them."""

from __future__ import annotations

from typing import Any

from anquan.core.periods import Span
from anquan.enforcement import stats
from anquan.regions.models import Region

from .periods import CalendarPeriod

COUNTS = (
    "inspected_enterprises",
    "inspection_hazards",
    "documents",
    "suspended_enterprises",
    "closed_enterprises",
    "cases_opened",
    "referred_people",
    "listed_enterprises",
    "plan_enterprises",
)


def section(user: Any, region: Region, period: CalendarPeriod) -> dict[str, Any] | None:
    """`summary` ("11月，全市共检查生产经营单位3396家，查处问题隐患1429处，下达执法文书144份，责令47家停工停产，
    罚款363.24万元。"), `cases`, `coverage` and the `total` figures; None when the period has no enforcement at all
    and the area no plan (the section is left out, like the hazard section)."""
    data = stats.for_span(user, region, Span(period.start, period.data_end))
    total = data["total"]
    if not any(total[name] for name in COUNTS) and total["fines_wan_yuan"] == "0.00":
        return None
    return {"summary": data["summary"], "cases": data["cases"], "coverage": data["coverage"], "total": total}
