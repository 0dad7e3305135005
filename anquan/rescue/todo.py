"""What waits for an owner unit among its own rescue forces (the to-do centre, anquan/core/todo.py): its stock rows
below their minimum or past their expiry, and its units that must keep duty with no roster for today or tomorrow
(an enterprise: itself when its industry must keep duty, and its teams; a government unit: the teams of its region
and department). The region-wide lists are the pages' (/rescue/stock/flagged/, /rescue/rosters/) and the figures'.
Only the roles that may change rescue forces get them. One query: the counts are subqueries of a single row (the
user's region); the duty rule in force is read once a day (duty.units_on)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from anquan.core.scope import own_area, restrict, role_may
from anquan.core.todo import TodoItem
from anquan.enterprises.choices import Status as EnterpriseStatus
from anquan.enterprises.models import Enterprise
from anquan.regions.models import Region

from . import duty
from .models import DutyRoster, RescueTeam, StockItem, SupplyDepot
from .stock import below_minimum, expired


def _count(qs: QuerySet[Any]) -> Coalesce:
    grouped = qs.order_by().annotate(_one=Value(1)).values("_one").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


def owned(user: Any, path: str = "") -> Q:
    """The rows whose owner unit is the user's: their enterprise, or their region's (and department's) own."""
    if user.enterprise_id:
        return Q(**{f"{path}enterprise_id": user.enterprise_id})
    return Q(
        **{
            f"{path}enterprise__isnull": True,
            f"{path}region_id": user.region_id,
            f"{path}department_id": user.department_id,
        }
    )


def _missing(user: Any, day: dt.date, units: duty.DutyUnits) -> QuerySet[Any]:
    if not user.enterprise_id:
        return Enterprise.objects.none()
    enterprises = restrict(Enterprise, user).filter(
        pk=user.enterprise_id, status=EnterpriseStatus.OPERATING, industry__code__in=units.industries
    )
    kept_e = DutyRoster.objects.filter(enterprise_id=OuterRef("pk"), team__isnull=True, day=day)
    return enterprises.exclude(Exists(kept_e))


def _teams_missing(user: Any, day: dt.date, units: duty.DutyUnits) -> QuerySet[Any]:
    if not units.rescue_teams:
        return RescueTeam.objects.none()
    # their own area's teams, not the county's they may read (ADR 0057)
    return (
        restrict(RescueTeam, user)
        .filter(own_area(user))
        .exclude(Exists(DutyRoster.objects.filter(team_id=OuterRef("pk"), day=day)))
    )


def items(user: Any) -> list[TodoItem]:
    if not role_may(user, SupplyDepot, "change") or not getattr(user, "region_id", None):
        return []
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    stock = restrict(StockItem, user).filter(owned(user, "depot__"))
    counts: dict[str, Any] = {
        "below_minimum": _count(stock.filter(below_minimum())),
        "expired": _count(stock.filter(expired(today))),
    }
    for name, day in (("today", today), ("tomorrow", tomorrow)):
        units = duty.units_on(day, user.region.code)
        counts[f"e_{name}"] = _count(_missing(user, day, units))
        counts[f"t_{name}"] = _count(_teams_missing(user, day, units))
    row = Region.objects.filter(pk=user.region_id).annotate(**counts).values(*counts).first() or {}
    flagged, rosters = reverse("rescue:flagged"), reverse("rescue:rosters")
    return [
        TodoItem(
            "rescue.below_minimum",
            "库存低于最低储备量的应急物资",
            row.get("below_minimum", 0),
            f"{flagged}?flag=below",
        ),
        TodoItem("rescue.expired", "已过有效期的应急物资", row.get("expired", 0), f"{flagged}?flag=expired"),
        TodoItem(
            "rescue.roster_today",
            "今日未排值班的单位",
            row.get("e_today", 0) + row.get("t_today", 0),
            f"{rosters}?day={today.isoformat()}",
        ),
        TodoItem(
            "rescue.roster_tomorrow",
            "明日未排值班的单位",
            row.get("e_tomorrow", 0) + row.get("t_tomorrow", 0),
            f"{rosters}?day={tomorrow.isoformat()}",
        ),
    ]
