"""What the live board shows (issue #16 item 5; the page is views_board.py, the choice of polling ADR 0043): the
points in scope grouped by enterprise and installation with their latest value and state, the counts on top, the
open alarms, and a version tag of all that (the ETag) read in two aggregate queries, so a poll that finds nothing
changed costs two small queries and no rendering."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from .choices import LEVEL_ORDER, OPEN_ALARM_STATUSES, Band, PointState
from .models import Alarm, MonitoringPoint

MAX_POINTS = 1000  # more than this in the chosen area: the board asks for a smaller one
MAX_ALARMS = 100

STATE_COLOURS = {
    PointState.NORMAL: "success",
    PointState.ALARM: "danger",
    PointState.OFFLINE: "secondary",
    PointState.MAINTENANCE: "info",
}
LEVEL_COLOURS = {"red": "danger", "orange": "orange", "yellow": "warning", "blue": "primary"}
BAND_COLOURS = {
    Band.HIGH_HIGH: "danger",
    Band.LOW_LOW: "danger",
    Band.HIGH: "warning",
    Band.LOW: "warning",
}


def live_points(points: QuerySet[MonitoringPoint]) -> QuerySet[MonitoringPoint]:
    return points.filter(retired_at__isnull=True)


def open_alarms(alarms: QuerySet[Alarm]) -> QuerySet[Alarm]:
    return alarms.filter(status__in=OPEN_ALARM_STATUSES)


def etag(points: QuerySet[MonitoringPoint], alarms: QuerySet[Alarm]) -> str:
    """A tag that changes when anything the board shows changes: points (added, edited, their state), their latest
    readings, the open alarms (new, stepped on, closed)."""
    p = live_points(points).aggregate(
        n=Count("id"),
        edited=Max("updated_at"),
        live_edited=Max("live__updated_at"),
        live_ts=Max("live__last_ts"),
        live_sum=Sum("live__last_value"),
        **{f"state_{s.value}": Count("id", filter=Q(state=s.value)) for s in PointState},
    )
    a = open_alarms(alarms).aggregate(
        n=Count("id"),
        last=Max("id"),
        edited=Max("updated_at"),
        statuses=Count("id", filter=~Q(status=OPEN_ALARM_STATUSES[0])),
    )
    raw = repr(sorted(p.items())) + repr(sorted(a.items()))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


@dataclass
class Group:
    installation: Any  # MajorHazardInstallation or None (points not on an installation)
    points: list[MonitoringPoint] = field(default_factory=list)


@dataclass
class EnterpriseBlock:
    enterprise: Any
    groups: list[Group] = field(default_factory=list)
    alarm: int = 0
    offline: int = 0


def shown(value: float | None) -> str:
    """A reading as the board shows it: at most two decimals, no trailing zeros ("—" when there is none)."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _decorate(point: MonitoringPoint) -> MonitoringPoint:
    live = getattr(point, "live", None)
    point.value = live.last_value if live is not None else None  # type: ignore[attr-defined]
    point.ts = live.last_ts if live is not None else None  # type: ignore[attr-defined]
    point.shown = shown(point.value)  # type: ignore[attr-defined]
    band = live.band if live is not None else ""
    point.state_colour = STATE_COLOURS.get(PointState(point.state), "secondary")  # type: ignore[attr-defined]
    point.value_colour = BAND_COLOURS.get(Band(band), "") if band else ""  # type: ignore[attr-defined]
    return point


def board(points: QuerySet[MonitoringPoint], alarms: QuerySet[Alarm]) -> dict[str, Any]:
    """The board's content (three queries: the counts, the points with their live rows, the open alarms)."""
    shown = live_points(points)
    counts = shown.aggregate(
        total=Count("id"), **{s.value: Count("id", filter=Q(state=s.value)) for s in PointState}
    )
    counts["online"] = counts["total"] - counts[PointState.OFFLINE.value]
    rows = list(
        shown.select_related("live", "installation", "enterprise").order_by(
            "enterprise__name", "enterprise_id", "installation__name", "installation_id", "device_id"
        )[: MAX_POINTS + 1]
    )
    too_many = len(rows) > MAX_POINTS
    blocks: list[EnterpriseBlock] = []
    for point in rows[:MAX_POINTS]:
        _decorate(point)
        if not blocks or blocks[-1].enterprise.pk != point.enterprise_id:
            blocks.append(EnterpriseBlock(point.enterprise))
        block = blocks[-1]
        if not block.groups or block.groups[-1].installation != point.installation:
            block.groups.append(Group(point.installation))
        block.groups[-1].points.append(point)
        block.alarm += point.state == PointState.ALARM
        block.offline += point.state == PointState.OFFLINE
    order = {level.value: i for i, level in enumerate(LEVEL_ORDER)}
    open_rows = sorted(
        open_alarms(alarms).select_related("point", "enterprise").order_by("-raised_at", "-id")[:MAX_ALARMS],
        key=lambda a: (order.get(a.level, 9), -a.raised_at.timestamp()),
    )
    by_level = {
        row["level"]: row["n"]
        for row in open_alarms(alarms).values("level").annotate(n=Count("id")).order_by()
    }
    for alarm in open_rows:
        alarm.colour = LEVEL_COLOURS.get(alarm.level, "secondary")  # type: ignore[attr-defined]
    return {
        "counts": counts,
        "levels": [
            {
                "level": lv.value,
                "label": lv.label,
                "count": by_level.get(lv.value, 0),
                "colour": LEVEL_COLOURS[lv],
            }
            for lv in LEVEL_ORDER
        ],
        "open_total": sum(by_level.values()),
        "blocks": blocks,
        "too_many": too_many,
        "max_points": MAX_POINTS,
        "alarms": open_rows,
    }
