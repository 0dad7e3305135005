"""The grids and public section (网格化管理和群众举报情况, issue #14 item 5) of the monthly dispatch and quarterly
bulletin: small venues registered and checked, grid patrols done and missed, tip-offs received, substantiated and
rewarded in the bulletin's period (its first day to the day the figures cover), in the area, as the user who
generates the bulletin sees them (`venues`, `grids.stats`, `tipoffs.stats.counts`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from anquan.core.scope import restrict, within
from anquan.grids import stats as grid_stats
from anquan.grids.choices import PatrolStatus
from anquan.grids.models import PatrolTask
from anquan.regions.models import Region
from anquan.tipoffs import stats as tipoff_stats
from anquan.tipoffs.models import TipOff
from anquan.venues.choices import VenueStatus
from anquan.venues.models import SmallVenue, VenueCheck

from .periods import CalendarPeriod


def _venues(user: Any, region: Region, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Venues in business registered by the end of the period, and how many of them were checked (a patrol
    visit or the owner's self-check) in it."""
    until = dt.datetime.combine(
        end + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    venues = restrict(SmallVenue, user).filter(
        within(region.prefix), status=VenueStatus.OPEN, created_at__lt=until
    )
    registered = venues.count()
    checked = (
        VenueCheck.objects.filter(venue__in=venues, on__gte=start, on__lte=end).aggregate(
            n=Count("venue_id", distinct=True)
        )["n"]
        if registered
        else 0
    )
    return registered, checked


def _yuan(amount: Decimal) -> str:
    """3000.00 → "3000", 3000.50 → "3000.50"."""
    return f"{amount:.0f}" if amount == amount.to_integral_value() else f"{amount:.2f}"


def figures(user: Any, region: Region, start: dt.date, end: dt.date) -> dict[str, Any]:
    venues, checked = _venues(user, region, start, end)
    patrols = grid_stats.tasks_in(region, start, end, restrict(PatrolTask, user)).aggregate(
        done=Count("id", filter=Q(status=PatrolStatus.DONE)),
        missed=Count("id", filter=Q(status=PatrolStatus.MISSED)),
    )
    tipoffs = tipoff_stats.counts(region, start, end, restrict(TipOff, user))
    return {
        "venues": venues,
        "venues_checked": checked,
        "coverage": f"{checked * 100 / venues:.1f}%" if venues else "0.0%",
        "patrols_done": patrols["done"],
        "patrols_missed": patrols["missed"],
        "tipoffs": tipoffs["total"],
        "tipoffs_substantiated": tipoffs["substantiated"],
        "reward_paid_yuan": _yuan(tipoffs["amount_paid"]),
    }


def section(user: Any, region: Region, period: CalendarPeriod, area: str) -> dict[str, Any] | None:
    """`summary` ("11月，全区登记“九小”场所3家，检查2家（覆盖率66.7%）；网格员巡查4次，漏巡1次；受理群众举报3件，
    查实2件，兑现奖励3000元。") and the `total` figures; None when every figure is zero (the section is left
    out, like the hazard and enforcement sections)."""
    total = figures(user, region, period.start, period.data_end)
    if not any(value for name, value in total.items() if name != "coverage" and value not in ("0", 0)):
        return None
    summary = (
        f"{period.label}，{area}登记“九小”场所{total['venues']}家，检查{total['venues_checked']}家"
        f"（覆盖率{total['coverage']}）；网格员巡查{total['patrols_done']}次，漏巡{total['patrols_missed']}次；"
        f"受理群众举报{total['tipoffs']}件，查实{total['tipoffs_substantiated']}件，"
        f"兑现奖励{total['reward_paid_yuan']}元。"
    )
    return {"summary": summary, "total": total}
