"""Rows for the board, trend and statistics tests (board16), seeded directly as model rows: points on the world's
enterprises, their live rows, hourly roll-ups and alarms. `november(world)` is the hand-worked month of
test_stats.py (its figures are worked out in that module's docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

TZ = timezone.get_fixed_timezone(8 * 60)  # Asia/Shanghai
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=TZ)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=TZ)


def installation(enterprise, name="液氯储罐区", grade=2):
    from anquan.majorhazards.models import MajorHazardInstallation

    return MajorHazardInstallation.objects.create(
        enterprise=enterprise,
        name=name,
        unit_type="storage",
        s=Decimal("2"),
        is_major=True,
        grade=grade,
        region_code=enterprise.region_code,
        supervising_department=enterprise.supervising_department,
    )


def point(enterprise, device: str, *, name: str = "", installation=None, created=None, **extra: Any):
    from anquan.monitoring.models import MonitoringPoint

    values = {
        "kind": "combustible_gas",
        "unit": "%LEL",
        "high": 25.0,
        "high_high": 50.0,
        "expected_interval_s": 360,
    }
    values.update(extra)
    return MonitoringPoint.objects.create(
        enterprise=enterprise,
        installation=installation,
        region_code=enterprise.region_code,
        supervising_department=enterprise.supervising_department,
        device_id=device,
        name=name or f"可燃气体探测器{device}",
        created_at=created or at(1, month=10),
        **values,
    )


def live(p, value: float, ts: dt.datetime, band: str = ""):
    from anquan.monitoring.models import PointLive

    row, _ = PointLive.objects.update_or_create(
        point=p, defaults={"last_value": value, "last_ts": ts, "band": band, "updated_at": timezone.now()}
    )
    return row


def hours(p, first: dt.datetime, n: int, count: int, short: int = 0, short_count: int = 0) -> None:
    """`n` hourly roll-ups from `first`, each of `count` readings (value 10), the last `short` of them of
    `short_count`."""
    from anquan.monitoring.models import ReadingRollup

    rows = []
    for i in range(n):
        c = short_count if i >= n - short else count
        rows.append(
            ReadingRollup(
                point_id=p.pk,
                period="hour",
                bucket=first + dt.timedelta(hours=i),
                count=c,
                min_value=9.0,
                max_value=11.0,
                sum_value=10.0 * c,
                region_code=p.region_code,
            )
        )
    ReadingRollup.objects.bulk_create(rows)


def alarm(p, level: str, kind: str, raised: dt.datetime, ack_min=None, close_min=None, status=None, **extra):
    from anquan.monitoring.models import Alarm

    acknowledged = raised + dt.timedelta(minutes=ack_min) if ack_min is not None else None
    closed = (
        acknowledged + dt.timedelta(minutes=close_min) if acknowledged and close_min is not None else None
    )
    if status is None:
        status = "closed" if closed else ("acknowledged" if acknowledged else "raised")
    values = {
        "point": p,
        "enterprise_id": p.enterprise_id,
        "installation_id": p.installation_id,
        "region_code": p.region_code,
        "supervising_department_id": p.supervising_department_id,
        "kind": kind,
        "level": level,
        "status": status,
        "message": f"{p.name}报警",
        "started_at": extra.pop("started_at", raised - dt.timedelta(seconds=10)),
        "raised_at": raised,
        "acknowledged_at": acknowledged,
        "closed_at": closed,
        "first_value": extra.pop("first_value", 30.0),
    }
    values.update(extra)
    return Alarm.objects.create(**values)


@dataclass
class November:
    i1: Any
    a1: Any
    a2: Any
    a3: Any
    b1: Any
    b2: Any
    x1: Any


def november(world) -> November:
    i1 = installation(world.chem_t1)
    a1 = point(world.chem_t1, "A1", installation=i1)
    a2 = point(world.chem_t1, "A2", created=at(16))
    a3 = point(world.chem_t1, "A3", created=at(1, month=12))
    b1 = point(world.chem_t2, "B1")
    b2 = point(world.chem_t2, "B2", created=at(1, month=12), state="offline")
    x1 = point(world.chem_xiushui, "X1")
    live(b2, 3.0, at(1, 4, month=12))
    hours(a1, at(1), 720, 10)
    hours(a2, at(16), 360, 10, short=36, short_count=5)
    hours(b1, at(1), 720, 5)
    hours(x1, at(1), 720, 10)
    alarm(a1, "yellow", "high", at(3, 10), ack_min=4, close_min=30)
    alarm(a1, "yellow", "high", at(10, 10), ack_min=10, close_min=60)
    alarm(a1, "orange", "high_high", at(20, 10), ack_min=2)
    alarm(b1, "blue", "offline", at(5, 10), ack_min=20, close_min=120)
    alarm(b1, "yellow", "rate", at(6, 10))
    alarm(a2, "red", "high", at(25, 10), ack_min=6, close_min=10)
    alarm(x1, "red", "high", at(5, 10), ack_min=1, close_min=1)
    alarm(a1, "yellow", "high", at(31, 23, month=10), ack_min=1, close_min=1)  # October: outside
    alarm(
        a3, "blue", "stuck", at(1, 8, month=12), started_at=at(1, 7, month=12)
    )  # open, begun 27 h before NOW
    return November(i1, a1, a2, a3, b1, b2, x1)
