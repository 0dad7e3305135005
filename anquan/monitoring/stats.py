"""Early warning for regions (issue #16 item 4): the figures of the statistics page `/monitoring/stats/`, of
`GET /api/v1/stats/monitoring`, of the dispatch bulletin's section 监测预警情况 and of the targeting factor.

Definitions (a period is [start, end] in local dates, inclusive; an alarm counts in the period it was raised in):

- **alarms by region / enterprise / installation / level / kind**: the alarms raised in the period, one GROUP BY
  each (regions: the children of the chosen region, `regions.models.counts_by_child`).
- **acknowledgement time**: raised_at → acknowledged_at of the period's alarms that were acknowledged;
  **disposal time**: acknowledged_at → closed_at of those closed. Median (the middle value, the mean of the two
  middle ones) and p90 (nearest rank: the ⌈0.9·n⌉-th smallest), in minutes; None when no alarm qualifies. One query
  reads the three timestamps; the percentiles are taken in Python (portable across PostgreSQL and SQLite).
- **repeated alarms**: points with at least `REPEATED_MIN` alarms raised in the period (one GROUP BY point).
- **online rate** of an enterprise: readings received / readings expected. Received = the sum of the hourly
  roll-up counts (`ReadingRollup`, period "hour") of its points in the window; expected = for each point, the
  seconds of the window during which it existed (from its creation, until its retirement) / its
  `expected_interval_s`. The window ends at the last whole hour before now (the running hour has no roll-up
  yet). Capped at 100 %.
- **data completeness** of an enterprise: the share of its point-hours in the window whose roll-up holds at least
  (100 − `gap_percent`) % of the hour's expected readings (`monitoring.operation`, the same line as the data-gap
  alarm).
- **列入执法关注** (listed for enforcement): an enterprise with a point offline for at least
  `persistent_hours` (state offline and no data since, or an open offline alarm begun that long ago), an open
  stuck-value alarm begun that long ago, or an online rate under `online_rate_percent` (`monitoring.operation`).

Every figure is a fixed number of grouped queries whatever the number of enterprises (no per-enterprise loop);
the per-point rows of the online rate are summed into enterprises in Python.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from anquan.core.scope import within
from anquan.enterprises.models import Enterprise
from anquan.regions.models import Region, counts_by_child
from anquan.rules.services import RuleMissing, in_force, versions

from .choices import OPEN_ALARM_STATUSES, AlarmKind, Level, PointState
from .models import Alarm, MonitoringPoint, ReadingRollup
from .rules import OPERATION, Operation

REPEATED_MIN = 3
TOP = 20  # rows of the by-enterprise and by-installation tables
LEVEL_WORDS = {Level.RED: "红色", Level.ORANGE: "橙色", Level.YELLOW: "黄色", Level.BLUE: "蓝色"}


def operation_rule(region_code: str, day: dt.date) -> Operation:
    """The figures in force on `day`; for a day before the first version, the first version's (a period asked
    for long ago still gets its statistics, judged by the earliest figures on record)."""
    try:
        return Operation.model_validate(in_force(OPERATION, day, region_code).values)
    except RuleMissing:
        first = versions(OPERATION).order_by("effective_from", "id").first()
        if first is None:
            raise
        return Operation.model_validate(first.values)


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def percentile(values: list[float], share: float) -> float | None:
    """Nearest rank: the ⌈share·n⌉-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value / 60, 1)


def durations(alarms: QuerySet[Alarm]) -> dict[str, Any]:
    """Median and p90, in minutes, of raised → acknowledged and acknowledged → closed (one query)."""
    ack: list[float] = []
    dispose: list[float] = []
    for raised, acknowledged, closed in alarms.filter(acknowledged_at__isnull=False).values_list(
        "raised_at", "acknowledged_at", "closed_at"
    ):
        assert acknowledged is not None  # filtered above
        ack.append((acknowledged - raised).total_seconds())
        if closed is not None:
            dispose.append((closed - acknowledged).total_seconds())
    return {
        "acknowledged": len(ack),
        "acknowledge_median_min": _minutes(statistics.median(ack)) if ack else None,
        "acknowledge_p90_min": _minutes(percentile(ack, 0.9)),
        "closed": len(dispose),
        "dispose_median_min": _minutes(statistics.median(dispose)) if dispose else None,
        "dispose_p90_min": _minutes(percentile(dispose, 0.9)),
    }


# --- online rate and completeness ------------------------------------------------------------------------


@dataclass
class Online:
    enterprise_id: int
    name: str
    points: int = 0
    expected: float = 0.0
    received: int = 0
    expected_hours: float = 0.0
    complete_hours: int = 0

    @property
    def rate(self) -> float | None:
        """Online rate in percent (one decimal), None when nothing was expected."""
        if self.expected <= 0:
            return None
        return round(min(self.received / self.expected, 1.0) * 100, 1)

    @property
    def completeness(self) -> float | None:
        if self.expected_hours <= 0:
            return None
        return round(min(self.complete_hours / self.expected_hours, 1.0) * 100, 1)


def window_end(high: dt.datetime, now: dt.datetime) -> dt.datetime:
    """The period's end clipped to the last whole hour before `now`."""
    return min(high, now.replace(minute=0, second=0, microsecond=0))


def online_rates(
    points: QuerySet[MonitoringPoint], low: dt.datetime, high: dt.datetime, gap_percent: float
) -> dict[int, Online]:
    """Online rate and completeness per enterprise id of `points` over [low, high) (two queries)."""
    out: dict[int, Online] = {}
    counted = points.filter(created_at__lt=high).filter(Q(retired_at__isnull=True) | Q(retired_at__gt=low))
    rows = list(
        counted.values(
            "id", "enterprise_id", "enterprise__name", "expected_interval_s", "created_at", "retired_at"
        ).order_by()
    )
    if not rows or high <= low:
        return out
    share = 1 - gap_percent / 100
    received = {
        r["point_id"]: r
        for r in ReadingRollup.objects.filter(
            period="hour", bucket__gte=low, bucket__lt=high, point_id__in=counted.values("id")
        )
        .values("point_id")
        .annotate(
            n=Sum("count"),
            complete=Count("bucket", filter=Q(count__gte=share * 3600 / F("point__expected_interval_s"))),
        )
        .order_by()
    }
    for row in rows:
        begin = max(low, row["created_at"])
        finish = min(high, row["retired_at"] or high)
        seconds = max((finish - begin).total_seconds(), 0.0)
        entry = out.setdefault(row["enterprise_id"], Online(row["enterprise_id"], row["enterprise__name"]))
        entry.points += 1
        entry.expected += seconds / max(row["expected_interval_s"], 1)
        entry.expected_hours += seconds / 3600
        got = received.get(row["id"])
        if got is not None:
            entry.received += got["n"] or 0
            entry.complete_hours += got["complete"]
    return out


# --- listed for enforcement ------------------------------------------------------------------------------


@dataclass
class Listed:
    enterprise_id: int
    name: str
    region_code: str
    offline_points: int = 0
    stuck_points: int = 0
    online_rate: float | None = None
    reasons: list[str] = field(default_factory=list)


def listed(
    points: QuerySet[MonitoringPoint],
    alarms: QuerySet[Alarm],
    rates: dict[int, Online],
    rule: Operation,
    now: dt.datetime,
) -> list[Listed]:
    """The enterprises of `points` to list for enforcement (three queries), by name. `alarms`: every alarm in
    scope (not only the period's: a sensor offline since last month is still offline)."""
    cutoff = now - dt.timedelta(hours=rule.persistent_hours)
    offline: dict[int, set[int]] = defaultdict(set)
    stuck: dict[int, set[int]] = defaultdict(set)
    for enterprise_id, point_id in (
        points.filter(state=PointState.OFFLINE, retired_at__isnull=True)
        .filter(Q(live__last_ts__lt=cutoff) | Q(live__last_ts__isnull=True, created_at__lt=cutoff))
        .values_list("enterprise_id", "id")
    ):
        offline[enterprise_id].add(point_id)
    point_ids = points.values("id")
    for enterprise_id, point_id, kind in alarms.filter(
        status__in=OPEN_ALARM_STATUSES,
        kind__in=(AlarmKind.OFFLINE, AlarmKind.STUCK),
        started_at__lte=cutoff,
        point_id__in=point_ids,
    ).values_list("enterprise_id", "point_id", "kind"):
        (offline if kind == AlarmKind.OFFLINE else stuck)[enterprise_id].add(point_id)
    low_rate = {eid for eid, o in rates.items() if o.rate is not None and o.rate < rule.online_rate_percent}
    ids = set(offline) | set(stuck) | low_rate
    info = {
        eid: (name, code)
        for eid, name, code in Enterprise.objects.filter(pk__in=ids).values_list("id", "name", "region_code")
    }
    out = []
    for eid in ids:
        item = Listed(eid, *info.get(eid, ("", "")))
        item.offline_points, item.stuck_points = len(offline[eid]), len(stuck[eid])
        item.online_rate = rates[eid].rate if eid in rates else None
        if item.offline_points:
            item.reasons.append(f"{item.offline_points}个监测点持续离线{rule.persistent_hours}小时以上")
        if item.stuck_points:
            item.reasons.append(f"{item.stuck_points}个监测点数据停滞{rule.persistent_hours}小时以上")
        if eid in low_rate:
            item.reasons.append(f"在线率{item.online_rate:g}%，低于{rule.online_rate_percent:g}%")
        out.append(item)
    out.sort(key=lambda x: (x.name, x.enterprise_id))
    return out


def listed_for(enterprises: QuerySet[Enterprise], today: dt.date, days: int = 30) -> dict[int, Listed]:
    """Targeting's view: enterprise id → its listing, over the last `days` days up to `today`, with the rule in force
    in the province of the first enterprise (a targeting list covers one region)."""
    first = enterprises.values_list("region_code", flat=True).order_by().first()
    if first is None:
        return {}
    rule = operation_rule(first, today)
    now = timezone.now()
    low, high = bounds(today - dt.timedelta(days=days - 1), today)
    points = MonitoringPoint.objects.filter(enterprise__in=enterprises.values("id"))
    rates = online_rates(points, low, window_end(high, now), rule.gap_percent)
    found = listed(points, Alarm.objects.all(), rates, rule, now)
    return {item.enterprise_id: item for item in found}


# --- the whole page --------------------------------------------------------------------------------------


def _rows(qs: Iterable[dict[str, Any]], key: str, labels: dict[str, str]) -> list[dict[str, Any]]:
    counted = {row[key]: row["n"] for row in qs}
    return [{key: value, "label": label, "count": counted.get(value, 0)} for value, label in labels.items()]


def tables(period: QuerySet[Alarm], levels: dict[str, str]) -> dict[str, list[dict[str, Any]]]:
    """The period's alarms by enterprise (with their levels) and by installation (the top `TOP` each), and the
    points that raised at least `REPEATED_MIN` (three queries)."""
    by_enterprise = (
        period.values("enterprise_id", "enterprise__name")
        .annotate(n=Count("id"), **{lv: Count("id", filter=Q(level=lv)) for lv in levels})
        .order_by("-n", "enterprise__name")[:TOP]
    )
    by_installation = (
        period.filter(installation__isnull=False)
        .values("installation_id", "installation__name", "enterprise__name")
        .annotate(n=Count("id"))
        .order_by("-n", "installation__name")[:TOP]
    )
    repeated = (
        period.values("point_id", "point__name", "point__device_id", "enterprise__name")
        .annotate(n=Count("id"))
        .filter(n__gte=REPEATED_MIN)
        .order_by("-n", "point_id")
    )
    return {
        "by_enterprise": [
            {
                "enterprise_id": r["enterprise_id"],
                "name": r["enterprise__name"],
                "count": r["n"],
                **{lv: r[lv] for lv in levels},
            }
            for r in by_enterprise
        ],
        "by_installation": [
            {
                "installation_id": r["installation_id"],
                "name": r["installation__name"],
                "enterprise": r["enterprise__name"],
                "count": r["n"],
            }
            for r in by_installation
        ],
        "repeated": [
            {
                "point_id": r["point_id"],
                "name": r["point__name"],
                "device_id": r["point__device_id"],
                "enterprise": r["enterprise__name"],
                "count": r["n"],
            }
            for r in repeated
        ],
    }


def figures(
    points: QuerySet[MonitoringPoint],
    alarms: QuerySet[Alarm],
    region: Region,
    start: dt.date,
    end: dt.date,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """All figures of [start, end] in `region`; `points` and `alarms` already scoped to the user
    (`restrict`)."""
    now = now or timezone.now()
    rule = operation_rule(region.code, end)
    low, high = bounds(start, end)
    points = points.filter(within(region.prefix))
    every_alarm = alarms.filter(within(region.prefix))
    period = every_alarm.filter(raised_at__gte=low, raised_at__lt=high)
    levels = {str(k.value): str(k.label) for k in Level}
    by_level = _rows(period.values("level").annotate(n=Count("id")).order_by(), "level", levels)
    kinds = {str(k.value): str(k.label) for k in AlarmKind}
    by_kind = _rows(period.values("kind").annotate(n=Count("id")).order_by(), "kind", kinds)
    rates = online_rates(points, low, window_end(high, now), rule.gap_percent)
    return {
        "region": region.code,
        "region_name": region.name,
        "start": start,
        "end": end,
        "total": sum(row["count"] for row in by_level),
        "by_region": [
            {"region": child.code, "label": child.name, "count": n}
            for child, n in counts_by_child(period, region)
        ],
        **tables(period, levels),
        "by_level": by_level,
        "by_kind": by_kind,
        "times": durations(period),
        "online": [
            {
                "enterprise_id": o.enterprise_id,
                "name": o.name,
                "points": o.points,
                "expected": round(o.expected),
                "received": o.received,
                "online_rate": o.rate,
                "completeness": o.completeness,
            }
            for o in sorted(rates.values(), key=lambda o: (o.rate if o.rate is not None else 101, o.name))
        ],
        "online_rate_line": rule.online_rate_percent,
        "listed": [
            {
                "enterprise_id": x.enterprise_id,
                "name": x.name,
                "offline_points": x.offline_points,
                "stuck_points": x.stuck_points,
                "online_rate": x.online_rate,
                "reasons": x.reasons,
            }
            for x in listed(points, every_alarm, rates, rule, now)
        ],
    }
