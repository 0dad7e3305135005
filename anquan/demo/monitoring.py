"""Demo monitoring (issue #16): the demo enterprise's two major hazard installations (液氯液氨储存单元,
液化石油气储罐区, demo/risk.py) get a gateway `JJ-GW-0001` and 14 points of the seven required kinds — the very
points `anquan simulate-sensors --sensors 14 --gateway JJ-GW-0001` plays, so the simulator drives the demo's live
board (README "demo"). History: two days as per-minute and per-hour roll-ups and the last hour raw, every
10 seconds, with the live state of each point; one point stuck for three hours (SIM-00001), one silent for 40
minutes (SIM-00014), one combustible-gas point over its high threshold right now (SIM-00008), and yesterday's
temperature excursion of SIM-00004 handled and closed.

Reproducible (a fixed seed), relative to the moment the demo is built."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from anquan.accounts.models import User
from anquan.monitoring import partitions, retention, simulated, simulator
from anquan.monitoring.choices import AlarmAction, AlarmKind, Band, Level, PointState
from anquan.monitoring.models import (
    Alarm,
    Gateway,
    MonitoringPoint,
    PointLive,
    Reading,
    ReadingRollup,
)
from anquan.monitoring.raising import NewAlarm, raise_alarms, set_states
from anquan.monitoring.workflow import FLOW

GATEWAY = "JJ-GW-0001"
KEY = (
    "gw_demo_jiujiang_monitoring"  # the demo gateway's key for --http (a demo secret, like the demo password)
)
SENSORS = 14
STUCK, ALARMING, OFFLINE, EXCURSED = "SIM-00001", "SIM-00008", "SIM-00014", "SIM-00004"
STUCK_FOR = dt.timedelta(hours=3)
SILENT_FOR = dt.timedelta(minutes=40)
ALARM_FOR = dt.timedelta(minutes=4)
HISTORY = dt.timedelta(days=2)


def build_monitoring(manager: User | None = None, now: dt.datetime | None = None) -> int:
    """Everything above, for the enterprise of `manager` (the demo's user "enterprise"); returns the number of
    points."""
    now = (now or timezone.now()).replace(microsecond=0)
    manager = manager or User.objects.get(username="enterprise")
    done = simulated.register(
        sensors=SENSORS, interval=10, gateway_code=GATEWAY, enterprise=manager.enterprise, actor="demo"
    )
    Gateway.objects.filter(pk=done.gateway.pk).update(key_hash=Gateway.hash_key(KEY), last_seen_at=now)
    points = list(
        MonitoringPoint.objects.filter(enterprise=done.enterprise, device_id__startswith="SIM-").order_by(
            "device_id"
        )
    )
    partitions.ensure()
    raw_from = now.replace(second=0) - dt.timedelta(hours=1)
    _history(points, raw_from, now)
    retention.rollup(now, since=raw_from - HISTORY)  # the hours, and the minutes of the raw hour
    _live(points, now)
    make_alarms({p.device_id: p for p in points}, manager, now)
    return len(points)


def _excursion(device: str, at: dt.datetime, now: dt.datetime) -> bool:
    if device == ALARMING:
        return at >= now - ALARM_FOR
    if device == EXCURSED:
        start = _yesterday_excursion(now)
        return start <= at < start + dt.timedelta(minutes=15)
    return False


def _yesterday_excursion(now: dt.datetime) -> dt.datetime:
    day = timezone.localdate(now) - dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(14, 20), tzinfo=timezone.get_default_timezone())


def _values(points: list[MonitoringPoint], start: dt.datetime, end: dt.datetime, now: dt.datetime):
    """(point, time, value) every 10 s from `start` to `end`, from the simulator's sensors (deterministic)."""
    opts = simulator.Options(sensors=len(points), interval=10, excursion_every=1e12, stuck=False)
    rng = random.Random(20261202)
    sensors = simulator.make_sensors(opts, rng)
    at = start
    while at < end:
        for point, sensor in zip(points, sensors, strict=True):
            if sensor.device_id == STUCK and sensor.stuck_value is None and at >= now - STUCK_FOR:
                sensor.stuck_value = round(sensor.level, sensor.profile.decimals)
            value = sensor.step(rng, opts)
            if _excursion(sensor.device_id, at, now):
                value = round(sensor.profile.excursion + rng.gauss(0, sensor.profile.noise), 2)
            if sensor.device_id == OFFLINE and at >= now - SILENT_FOR:
                continue
            yield point, at, value
        at += dt.timedelta(seconds=10)


def _history(points: list[MonitoringPoint], raw_from: dt.datetime, now: dt.datetime) -> None:
    minutes: dict[tuple[int, dt.datetime], list[float]] = {}
    raw = []
    for point, at, value in _values(points, raw_from - HISTORY, now, now):
        if at < raw_from:
            minutes.setdefault((point.pk, at.replace(second=0)), []).append(value)
        else:
            raw.append(Reading(point=point, ts=at, value=value, region_code=point.region_code))
    region = points[0].region_code
    ReadingRollup.objects.bulk_create(
        [
            ReadingRollup(
                point_id=pid,
                period="minute",
                bucket=bucket,
                count=len(vs),
                min_value=min(vs),
                max_value=max(vs),
                sum_value=sum(vs),
                region_code=region,
            )
            for (pid, bucket), vs in minutes.items()
        ],
        batch_size=5000,
    )
    Reading.objects.bulk_create(raw, batch_size=5000)


def _live(points: list[MonitoringPoint], now: dt.datetime) -> None:
    live = []
    for point in points:
        last = Reading.objects.filter(point=point).order_by("-ts").first()
        row = PointLive(point=point, updated_at=now)
        if last is not None:
            row.last_value, row.last_ts = last.value, last.ts
        if point.device_id == ALARMING:
            row.band, row.band_since = Band.HIGH, now - ALARM_FOR
            row.alarm_kinds = AlarmKind.HIGH  # the open conditions evaluation recovers (make_alarms)
        if point.device_id == STUCK:
            row.same_value, row.same_since = row.last_value, now - STUCK_FOR
            row.alarm_kinds = AlarmKind.STUCK
        if point.device_id == OFFLINE:
            row.alarm_kinds = AlarmKind.OFFLINE
        live.append(row)
    PointLive.objects.bulk_create(live)
    # the points' states through their declared steps (monitoring.workflow.POINT_STATE)
    set_states(
        {p.pk: PointState.ALARM for p in points if p.device_id == ALARMING}
        | {p.pk: PointState.OFFLINE for p in points if p.device_id == OFFLINE}
    )


def make_alarms(points: dict[str, MonitoringPoint], manager: User, now: dt.datetime) -> list[Alarm]:
    """Four alarms at different steps, raised by the system's own path (monitoring.raising: the row, its event,
    its audit entry, the managers' notice) and taken through the declared steps of the alarm workflow at their
    past moments (the engine: events, audit)."""
    ack, dispose, recover, close = (
        AlarmAction.ACKNOWLEDGE,
        AlarmAction.DISPOSE,
        AlarmAction.RECOVER,
        AlarmAction.CLOSE,
    )
    yesterday = _yesterday_excursion(now)
    gas, temp = points[ALARMING], points[EXCURSED]
    specs = [  # point, kind, level, began, raised, threshold, first, peak, message, steps
        (gas, AlarmKind.HIGH, Level.ORANGE, now - ALARM_FOR, now - ALARM_FOR + dt.timedelta(seconds=10),
         gas.high, 31.6, 33.2, f"{gas.name}浓度超过一级报警值", []),
        (points[STUCK], AlarmKind.STUCK, Level.BLUE, now - STUCK_FOR, now - STUCK_FOR + dt.timedelta(hours=1),
         None, None, None, "数值连续60分钟未变化，疑似探头被包裹或故障",
         [(ack, now - dt.timedelta(minutes=100), manager, "已通知仪表工到现场检查探头")]),
        (points[OFFLINE], AlarmKind.OFFLINE, Level.BLUE, now - SILENT_FOR, now - SILENT_FOR + dt.timedelta(seconds=30),
         None, None, None, "连续3个采集周期无数据", []),
        (temp, AlarmKind.HIGH, Level.ORANGE, yesterday, yesterday + dt.timedelta(seconds=10), temp.high, 64.8,
         67.1, f"{temp.name}温度超过一级报警值",
         [(ack, yesterday + dt.timedelta(minutes=4), manager, "值班人员已确认"),
          (dispose, yesterday + dt.timedelta(minutes=9), manager, "停止进料，开启喷淋降温，检查冷却水系统"),
          (recover, yesterday + dt.timedelta(minutes=15), None, ""),
          (close, yesterday + dt.timedelta(minutes=50), manager, "冷却水泵故障已修复，温度恢复正常")]),
    ]  # fmt: skip
    alarms = []
    for point, kind, level, began, raised, threshold, first, peak, message, steps in specs:
        new = NewAlarm(
            point_id=point.pk, enterprise_id=point.enterprise_id, installation_id=point.installation_id,
            region_code=point.region_code, kind=kind, level=level, message=message, started_at=began,
            threshold=threshold, value=first,
        )  # fmt: skip
        (alarm,) = raise_alarms([new], raised)
        if peak is not None:  # the highest value while it lasted, as evaluation keeps it
            Alarm.objects.filter(pk=alarm.pk).update(peak_value=peak)
        for action, at, actor, comment in steps:
            alarm = _step(alarm, action, at, actor, comment)
        alarms.append(alarm)
    return alarms


STEP_STAMP = {
    AlarmAction.ACKNOWLEDGE: "acknowledged_at",
    AlarmAction.RECOVER: "recovered_at",
    AlarmAction.CLOSE: "closed_at",
}


def _step(alarm: Alarm, action: str, at: dt.datetime, actor: User | None, comment: str) -> Alarm:
    """A declared step of the alarm workflow at a past moment `at` (actor None: the system's `recover`)."""
    changes: dict[str, object] = {}
    if stamp := STEP_STAMP.get(AlarmAction(action)):
        changes[stamp] = at
    if action == AlarmAction.DISPOSE:
        changes["disposal"] = comment
    fresh, _ = FLOW.apply(alarm, action, actor=actor, changes=changes, comment=comment, now=at)
    return fresh
