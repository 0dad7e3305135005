"""The list's filters, read the same way by the page, the API, the Excel export and the label sheet:
kind, region (a township's code keeps its villages'), grid, status, this month's check, a name search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from anquan.core import inputs
from anquan.regions.inputs import subtree

from .choices import CheckFilter, VenueKind, VenueStatus
from .models import SmallVenue

KEYS = ("kind", "region", "grid", "status", "check", "q")


def month_start(today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()).replace(day=1)


def apply(qs: QuerySet[SmallVenue], params: Any, today: dt.date | None = None) -> QuerySet[SmallVenue]:
    """`qs` narrowed by the filters in `params` (a QueryDict or dict); a bad value is a 422 naming it."""
    get = params.get
    kind = inputs.choice(get("kind") or None, "kind", VenueKind)
    if kind:
        qs = qs.filter(kind=kind)
    status = inputs.choice(get("status") or None, "status", VenueStatus)
    if status:
        qs = qs.filter(status=status)
    region = str(get("region") or "").strip()
    if region:
        qs = qs.filter(subtree(region))
    grid = str(get("grid") or "").strip()
    if grid:
        qs = (
            qs.filter(grid__code=grid)
            if not grid.isdigit()
            else qs.filter(Q(grid_id=int(grid)) | Q(grid__code=grid))
        )
    check = inputs.choice(get("check") or None, "check", CheckFilter)
    start = month_start(today)
    if check == CheckFilter.CHECKED:
        qs = qs.filter(last_checked_on__gte=start)
    elif check == CheckFilter.UNCHECKED:
        qs = qs.filter(Q(last_checked_on__lt=start) | Q(last_checked_on__isnull=True))
    elif check == CheckFilter.FAILED:
        qs = qs.filter(last_check_ok=False)
    q = str(get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(address__contains=q) | Q(public_code=q))
    return qs
