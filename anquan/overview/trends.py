"""The trend charts of a desk home (issue #12 item 1): hazards found and closed by month, and the rectification
rate (整改率) and overdue hazards by township (or by supervising department where the area has no townships
below it). Every count goes through the scoping function: a chart shows only the user's hazards.

整改率 here is the share of the hazards found this year (1 January to today) that are closed; 超期 is the
hazards still open past their deadline, whenever they were found.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from anquan.accounts.models import User
from anquan.core import periods
from anquan.core.scope import restrict
from anquan.hazards.choices import OPEN_STATUSES, Status
from anquan.hazards.models import Hazard
from anquan.hazards.stats import rectification_rate
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

MONTHS = 12


def _by_month(qs: QuerySet[Hazard], field: str, since: dt.datetime) -> dict[tuple[int, int], int]:
    rows = (
        qs.filter(**{f"{field}__gte": since})
        .order_by()
        .annotate(_m=TruncMonth(field))
        .values("_m")
        .annotate(_n=Count("pk"))
    )
    out: dict[tuple[int, int], int] = {}
    for row in rows:
        month = timezone.localtime(row["_m"]) if timezone.is_aware(row["_m"]) else row["_m"]
        out[(month.year, month.month)] = out.get((month.year, month.month), 0) + row["_n"]
    return out


def monthly(user: User, today: dt.date | None = None, months: int = MONTHS) -> list[dict[str, Any]]:
    """[{"label": "1月", "month": "2026年1月", "found": n, "closed": n}] for the last `months` months, this one included (to today)."""
    span = periods.last_months(today or timezone.localdate(), months)
    since = timezone.make_aware(dt.datetime.combine(span.start, dt.time.min))
    hazards = restrict(Hazard, user)
    found = _by_month(hazards, "found_at", since)
    closed = _by_month(hazards.filter(status=Status.CLOSED), "closed_at", since)
    return [
        {
            "label": f"{month}月",
            "month": f"{year}年{month}月",
            "found": found.get((year, month), 0),
            "closed": closed.get((year, month), 0),
        }
        for year, month in span.months()
    ]


def _rates(groups: list[tuple[str, str, dict[str, int]]]) -> list[dict[str, Any]]:
    rows = []
    for key, name, counts in groups:
        found, closed = counts.get("found", 0), counts.get("closed", 0)
        rows.append(
            {
                "key": key,
                "name": name,
                "found": found,
                "closed": closed,
                "rate": rectification_rate(found, closed),
                "overdue": counts.get("overdue", 0),
            }
        )
    return rows


def _aggregates() -> dict[str, Count]:
    year_start = timezone.make_aware(dt.datetime(timezone.localdate().year, 1, 1))
    this_year = Q(found_at__gte=year_start)
    return {
        "found": Count("pk", filter=this_year),
        "closed": Count("pk", filter=this_year & Q(status=Status.CLOSED)),
        "overdue": Count("pk", filter=Q(status__in=OPEN_STATUSES, overdue=True)),
    }


def by_area(user: User) -> tuple[str, list[dict[str, Any]]]:
    """("region" | "department", rows): 整改率 and 超期 by the user's child regions when there are such
    (a county's townships, a city's counties), else by supervising department."""
    hazards = restrict(Hazard, user).order_by()
    region = getattr(user, "region", None)
    children = (
        list(Region.objects.filter(parent=region).order_by("code"))
        if region is not None and region.level < RegionLevel.TOWNSHIP
        else []
    )
    if children:
        length = len(children[0].prefix)
        grouped = {
            row["_prefix"]: row
            for row in hazards.annotate(_prefix=Substr("region_code", 1, length))
            .values("_prefix")
            .annotate(**_aggregates())
        }
        return "region", _rates([(c.code, c.name, grouped.get(c.prefix, {})) for c in children])
    rows = (
        hazards.values("supervising_department__name")
        .annotate(**_aggregates())
        .order_by("supervising_department__name")
    )
    return "department", _rates(
        [
            (
                r["supervising_department__name"] or "",
                r["supervising_department__name"] or gettext("Not assigned"),
                r,
            )
            for r in rows
        ]
    )
