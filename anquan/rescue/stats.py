"""The rescue forces' figures of a region on a day, for the emergency statistics (/api/v1/stats/emergency; the
lead merges them there) and the page rescue/stats: teams by kind and their members, depots, stock rows below
their minimum or expired, units missing a duty roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Sum
from django.http import Http404

from anquan.core.scope import region_in_scope, restrict, within
from anquan.regions.models import Region

from . import duty
from .choices import TeamKind
from .models import RescueTeam, StockItem, SupplyDepot
from .stock import below_minimum, expired


def summary(request_or_scope: Any, region_code: str, on: dt.date) -> dict[str, Any]:
    """`request_or_scope`: a request (its user) or a user. `region_code` must lie in their scope (else 404)."""
    user = getattr(request_or_scope, "user", request_or_scope)
    region = Region.objects.filter(code=region_code).first()
    if region is None or not region_in_scope(user, region.code):
        raise Http404
    prefix = region.prefix
    teams = restrict(RescueTeam, user).filter(within(prefix))
    by_kind = {
        row["kind"]: row for row in teams.values("kind").annotate(n=Count("id"), m=Sum("member_count"))
    }
    stock = restrict(StockItem, user).filter(within(prefix, "depot__region_code"))
    counts = stock.aggregate(
        below_minimum=Count("id", filter=below_minimum()), expired=Count("id", filter=expired(on))
    )
    missing = duty.missing(user, on, region.code, within(prefix))
    return {
        "region": region.code,
        "region_name": region.name,
        "on": on,
        "teams": sum(r["n"] for r in by_kind.values()),
        "teams_by_kind": [
            {"kind": k.value, "label": str(k.label), "count": by_kind.get(k.value, {}).get("n", 0)}
            for k in TeamKind
        ],
        "members": sum(r["m"] or 0 for r in by_kind.values()),
        "depots": restrict(SupplyDepot, user).filter(within(prefix)).count(),
        "items_below_minimum": counts["below_minimum"],
        "items_expired": counts["expired"],
        "units_missing_roster": len(missing),
    }
