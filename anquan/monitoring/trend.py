"""The trend of one point for its chart (issue #16 item 5): the last hour from the raw readings, the last day from
the per-minute roll-ups, the last week and month from the per-hour roll-ups (average = sum / count, with the
minimum and maximum of each bucket), the point's thresholds, and its alarms that overlap the range (from the
first reading of the condition to its recovery or closing, or now)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from .models import Alarm, MonitoringPoint, Reading, ReadingRollup

# range → (length, source: "raw" or the roll-up period)
RANGES: dict[str, tuple[dt.timedelta, str]] = {
    "hour": (dt.timedelta(hours=1), "raw"),
    "day": (dt.timedelta(days=1), "minute"),
    "week": (dt.timedelta(days=7), "hour"),
    "month": (dt.timedelta(days=30), "hour"),
}
RANGE_LABELS = {"hour": "近1小时", "day": "近1天", "week": "近1周", "month": "近1月"}
THRESHOLD_LABELS = {"low_low": "低低限", "low": "低限", "high": "高限", "high_high": "高高限"}


def _ms(when: dt.datetime) -> int:
    return int(when.timestamp() * 1000)


def series(point: MonitoringPoint, alarms: QuerySet[Alarm], span: str, now: dt.datetime) -> dict[str, Any]:
    length, source = RANGES[span]
    low = now - length
    out: dict[str, Any] = {
        "range": span,
        "label": RANGE_LABELS[span],
        "source": source,
        "unit": point.unit,
        "from": _ms(low),
        "to": _ms(now),
        "avg": [],
        "min": [],
        "max": [],
    }
    if source == "raw":
        out["avg"] = [
            [_ms(ts), v]
            for ts, v in Reading.objects.filter(point_id=point.pk, ts__gte=low, ts__lte=now)
            .order_by("ts")
            .values_list("ts", "value")
        ]
    else:
        for bucket, n, lo, hi, total in (
            ReadingRollup.objects.filter(point_id=point.pk, period=source, bucket__gte=low, bucket__lte=now)
            .order_by("bucket")
            .values_list("bucket", "count", "min_value", "max_value", "sum_value")
        ):
            at = _ms(bucket)
            out["avg"].append([at, round(total / n, 4) if n else None])
            out["min"].append([at, lo])
            out["max"].append([at, hi])
    out["thresholds"] = [
        {"name": name, "label": label, "value": getattr(point, name)}
        for name, label in THRESHOLD_LABELS.items()
        if getattr(point, name) is not None
    ]
    overlapping = (
        alarms.filter(started_at__lte=now)
        .filter(
            Q(closed_at__isnull=True, recovered_at__isnull=True)
            | Q(closed_at__gte=low)
            | Q(closed_at__isnull=True, recovered_at__gte=low)
        )
        .order_by("started_at")[:200]
    )
    out["alarms"] = [
        {
            "id": a.pk,
            "label": f"{a.get_level_display()}·{a.get_kind_display()}",
            "level": a.level,
            "status": a.get_status_display(),
            "start": _ms(max(a.started_at, low)),
            "end": _ms(min(a.recovered_at or a.closed_at or now, now)),
            "raised": _ms(a.raised_at),
            "value": a.first_value,
            "url": f"/monitoring/alarms/{a.pk}/",
        }
        for a in overlapping
    ]
    return out
