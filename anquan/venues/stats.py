"""Statistics of small venues in a region (issue #14 item 5): venues in business by kind and by grid, this month's
check coverage (venues whose last check falls in this month), venues whose last check failed, and the items that
failed in this month's checks."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from anquan.core.scope import restrict, within
from anquan.regions.inputs import region_field

from .choices import VenueKind, VenueStatus
from .filters import month_start
from .models import SmallVenue, VenueCheck


def summary(user: Any, region_code: str | None) -> dict[str, Any]:
    region = region_field(region_code, user)  # blank: the user's own region; out of scope: 422 naming it
    assert region is not None
    today = timezone.localdate()
    start = month_start(today)
    venues = restrict(SmallVenue, user).filter(within(region.prefix), status=VenueStatus.OPEN)
    checked = Q(last_checked_on__gte=start)
    totals = venues.aggregate(
        n=Count("pk"), checked=Count("pk", filter=checked), failed=Count("pk", filter=Q(last_check_ok=False))
    )
    names = dict(VenueKind.choices)
    by_kind = [
        {
            "key": row["kind"],
            "name": str(names.get(row["kind"], row["kind"])),
            "venues": row["n"],
            "checked": row["c"],
        }
        for row in venues.order_by()
        .values("kind")
        .annotate(n=Count("pk"), c=Count("pk", filter=checked))
        .order_by("kind")
    ]
    by_grid = [
        {
            "key": row["grid__code"] or "",
            "name": row["grid__name"] or "未划入网格",
            "venues": row["n"],
            "checked": row["c"],
        }
        for row in venues.order_by()
        .values("grid__code", "grid__name")
        .annotate(n=Count("pk"), c=Count("pk", filter=checked))
        .order_by("grid__code")
    ]
    failed: Counter[tuple[str, str]] = Counter()
    checks = VenueCheck.objects.filter(venue__in=venues, on__gte=start, ok=False).values_list(
        "items", flat=True
    )
    for items in checks.iterator(chunk_size=2000):
        for item in items or []:
            if not item.get("ok"):
                failed[(item.get("code", ""), item.get("text", ""))] += 1
    return {
        "region": region.code,
        "region_name": region.full_name or region.name,
        "month": start.strftime("%Y-%m"),
        "venues": totals["n"],
        "checked_this_month": totals["checked"],
        "coverage": round(totals["checked"] / totals["n"], 4) if totals["n"] else 0.0,
        "failed_last_check": totals["failed"],
        "failed_items": [{"code": c, "text": t, "count": n} for (c, t), n in failed.most_common(20)],
        "by_kind": by_kind,
        "by_grid": by_grid,
    }
