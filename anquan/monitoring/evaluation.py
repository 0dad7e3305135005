"""Alarm evaluation as readings arrive (placeholder until the alarm rules land: it only keeps each point's latest
reading). Called by ingestion inside the transaction that stored the readings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone

from .catalogue import PointInfo
from .models import PointLive


def evaluate(readings: Sequence[tuple[PointInfo, dt.datetime, float]]) -> None:
    """`readings`: the batch's new readings (duplicates already dropped), ordered by point and time."""
    latest: dict[int, tuple[dt.datetime, float]] = {}
    for info, ts, value in readings:
        latest[info.id] = (ts, value)
    now = timezone.now()
    rows = [
        PointLive(point_id=pid, last_ts=ts, last_value=v, updated_at=now) for pid, (ts, v) in latest.items()
    ]
    PointLive.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["point"],
        update_fields=["last_ts", "last_value", "updated_at"],
    )
