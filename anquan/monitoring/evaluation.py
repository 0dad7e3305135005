"""Alarm evaluation as readings arrive (docs/adr/0041-monitoring-alarm-rules.md). Called by ingestion inside the
transaction that stored the batch; readings ordered by point, then time.

Per batch: one SELECT … FOR UPDATE of the batch's `PointLive` rows (several ingestion workers may hold readings of
the same point), a few µs of Python per reading, one bulk write of the rows that changed — and queries for alarms
only when one is raised or recovers. The figures come from `monitoring.operation` (operation.py, cached), the
approved maintenance windows from a short process cache.

The rules per point and reading (a reading older than the point's latest is stored but not judged):
- threshold bands low_low/low/high/high_high: a band is entered at once and left only when the value is back
  inside by `hysteresis_percent` of its threshold; an alarm is raised once the band has held
  `min_duration_seconds` (from `band_since`), so a shorter excursion raises none; back in the normal range (or on
  the other side) the side's open alarms recover;
- rate of change (`MonitoringPoint.max_rate_per_minute`, null = off) between consecutive readings;
- a changed value recovers a stuck alarm, any data an offline alarm (both raised by ticks.py);
- a point under maintenance, in an approved window or retired raises nothing (its readings are still stored).

`PointLive` is written coarsely: when the band, an alarm condition or a long-held value changes, else at most every
`REFRESH_SECONDS` (the live board's `last_value`/`last_ts` lag by that much at most, and `offline_due` allows for it).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from . import live_rows
from .catalogue import PointInfo
from .choices import AlarmKind, Band, MaintenanceStatus, PointState
from .models import MaintenanceWindow
from .operation import figures, level_of
from .raising import NewAlarm, raise_alarms, recover, set_states
from .rules import Operation

REFRESH_SECONDS = 5.0
WINDOWS_TTL_SECONDS = 10.0
HELD_VALUE_SECONDS = 60.0  # a value that had held this long: its change is written at once (stuck detection)

HIGH_SIDE = (Band.HIGH, Band.HIGH_HIGH)
LOW_SIDE = (Band.LOW, Band.LOW_LOW)
THRESHOLD_KINDS = frozenset({AlarmKind.HIGH, AlarmKind.HIGH_HIGH, AlarmKind.LOW, AlarmKind.LOW_LOW})
KIND_NAMES = {
    AlarmKind.HIGH: "高报",
    AlarmKind.HIGH_HIGH: "高高报",
    AlarmKind.LOW: "低报",
    AlarmKind.LOW_LOW: "低低报",
    AlarmKind.RATE: "变化速率超限",
    AlarmKind.STUCK: "数值停滞",
    AlarmKind.OFFLINE: "离线无数据",
    AlarmKind.GAP: "数据缺失",
}
LIVE_FIELDS = list(live_rows.FIELDS)

_windows: tuple[float, dict[int, list[tuple[dt.datetime, dt.datetime]]]] | None = None


def maintenance_windows(now: dt.datetime) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """point id → its approved maintenance windows around now (kept `WINDOWS_TTL_SECONDS` in the process)."""
    global _windows
    clock = time.monotonic()
    if _windows is not None and clock - _windows[0] < WINDOWS_TTL_SECONDS:
        return _windows[1]
    windows: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for pid, start, end in MaintenanceWindow.objects.filter(
        status=MaintenanceStatus.APPROVED,
        ends_at__gte=now - dt.timedelta(days=1),
        starts_at__lte=now + dt.timedelta(days=1),
    ).values_list("point_id", "starts_at", "ends_at"):
        windows.setdefault(pid, []).append((start, end))
    _windows = (clock, windows)
    return windows


def forget_windows() -> None:
    global _windows
    _windows = None


def band_of(value: float, current: str, info: PointInfo, hysteresis: float) -> str:
    """The band `value` lies in, holding the `current` band until the value is back inside by the hysteresis."""
    hh, hi, lo, ll = info.high_high, info.high, info.low, info.low_low
    if hh is not None and value >= hh:
        raw = Band.HIGH_HIGH
    elif hi is not None and value >= hi:
        raw = Band.HIGH
    elif ll is not None and value <= ll:
        raw = Band.LOW_LOW
    elif lo is not None and value <= lo:
        raw = Band.LOW
    else:
        raw = Band.NORMAL
    if raw == current or not current:
        return raw
    if current in HIGH_SIDE and raw != Band.HIGH_HIGH:
        if current == Band.HIGH_HIGH and hh is not None and value > hh - abs(hh) * hysteresis:
            return Band.HIGH_HIGH
        if hi is not None and value > hi - abs(hi) * hysteresis:
            return Band.HIGH
    elif current in LOW_SIDE and raw != Band.LOW_LOW:
        if current == Band.LOW_LOW and ll is not None and value < ll + abs(ll) * hysteresis:
            return Band.LOW_LOW
        if lo is not None and value < lo + abs(lo) * hysteresis:
            return Band.LOW
    return raw


def state_of(kinds: set[str]) -> str:
    """A point's state from the kinds of its open alarm conditions."""
    if AlarmKind.OFFLINE in kinds:
        return PointState.OFFLINE
    return PointState.ALARM if kinds else PointState.NORMAL


def _side(band: str) -> tuple[str, ...]:
    return HIGH_SIDE if band in HIGH_SIDE else LOW_SIDE if band in LOW_SIDE else ()


def _threshold(info: PointInfo, band: str) -> float | None:
    return {
        Band.HIGH_HIGH: info.high_high,
        Band.HIGH: info.high,
        Band.LOW: info.low,
        Band.LOW_LOW: info.low_low,
    }.get(Band(band))


def _new(
    info: PointInfo, kind: str, ts: dt.datetime, value: float, ops: Operation, threshold: float | None
) -> NewAlarm:
    text = f"{info.device_id} {KIND_NAMES[AlarmKind(kind)]}：当前值 {value:g}"
    if threshold is not None:
        text += f"，阈值 {threshold:g}"
    return NewAlarm(
        point_id=info.id,
        enterprise_id=info.enterprise_id,
        installation_id=info.installation_id,
        region_code=info.region_code,
        kind=kind,
        level=level_of(kind, info.installation_grade, ops),
        message=text,
        started_at=ts,
        threshold=threshold,
        value=value,
    )


class _Live:
    """A point's live row as evaluation reads and changes it (the columns of LIVE_FIELDS, in that order)."""

    __slots__ = tuple(LIVE_FIELDS)

    def __init__(
        self,
        last_value: float | None = None,
        last_ts: dt.datetime | None = None,
        band: str = Band.NORMAL,
        band_since: dt.datetime | None = None,
        same_value: float | None = None,
        same_since: dt.datetime | None = None,
        alarm_kinds: str = "",
        offline_due: dt.datetime | None = None,
        updated_at: dt.datetime | None = None,
    ) -> None:
        self.last_value, self.last_ts = last_value, last_ts
        self.band, self.band_since = band, band_since
        self.same_value, self.same_since = same_value, same_since
        self.alarm_kinds, self.offline_due, self.updated_at = alarm_kinds, offline_due, updated_at


class _Batch:
    """What one batch decides: alarms to raise, conditions that recovered, points whose state changes."""

    def __init__(self) -> None:
        self.raised: list[NewAlarm] = []
        self.recovered: list[tuple[int, str]] = []
        self.states: dict[int, str] = {}


def _judge(
    info: PointInfo,
    live: _Live,
    items: list[tuple[dt.datetime, float]],
    ops: Operation,
    windows: list[tuple[dt.datetime, dt.datetime]],
    batch: _Batch,
) -> bool:
    """Run one point's readings through its live state; returns whether something that matters changed."""
    if not live.alarm_kinds and live.band == Band.NORMAL and info.max_rate_per_minute is None:
        if _inside(info, items):
            return _judge_normal(info, live, items, ops)
    last_ts, last_value = live.last_ts, live.last_value
    band, since = live.band, live.band_since
    same_value, same_since = live.same_value, live.same_since
    kinds = set(live.alarm_kinds.split(",")) if live.alarm_kinds else set()
    before = (band, since, set(kinds))
    held_changed = False
    quiet = info.retired or info.state == PointState.MAINTENANCE
    hysteresis = ops.hysteresis_percent / 100
    min_duration = ops.min_duration_seconds
    max_rate = info.max_rate_per_minute
    for ts, value in items:
        if last_ts is not None and ts <= last_ts:
            continue  # a late reading: stored, not judged
        silent = quiet or any(start <= ts < end for start, end in windows)
        if value != same_value:
            if same_since is not None and (ts - same_since).total_seconds() >= HELD_VALUE_SECONDS:
                held_changed = True
            same_value, same_since = value, ts
            if AlarmKind.STUCK in kinds:
                kinds.discard(AlarmKind.STUCK)
                batch.recovered.append((info.id, AlarmKind.STUCK))
        if AlarmKind.OFFLINE in kinds:
            kinds.discard(AlarmKind.OFFLINE)
            batch.recovered.append((info.id, AlarmKind.OFFLINE))
        if max_rate is not None and last_ts is not None and last_value is not None:
            seconds = (ts - last_ts).total_seconds()
            rate = abs(value - last_value) * 60 / seconds
            if rate > max_rate:
                if AlarmKind.RATE not in kinds and not silent:
                    kinds.add(AlarmKind.RATE)
                    batch.raised.append(_new(info, AlarmKind.RATE, ts, value, ops, max_rate))
            elif AlarmKind.RATE in kinds:
                kinds.discard(AlarmKind.RATE)
                batch.recovered.append((info.id, AlarmKind.RATE))
        new_band = band_of(value, band, info, hysteresis)
        if new_band != band:
            side = _side(new_band)
            left = [k for k in kinds if k in THRESHOLD_KINDS and k not in side]
            if left:
                kinds.difference_update(left)
                batch.recovered.append((info.id, left[0]))
            band, since = new_band, ts
        if (
            band
            and band not in kinds
            and not (band == Band.HIGH and Band.HIGH_HIGH in kinds)
            and not (band == Band.LOW and Band.LOW_LOW in kinds)
            and since is not None
            and (ts - since).total_seconds() >= min_duration
            and not silent
        ):
            kinds.add(band)
            batch.raised.append(_new(info, band, since, value, ops, _threshold(info, band)))
        last_ts, last_value = ts, value
    if last_ts is None:
        return False
    live.last_ts, live.last_value = last_ts, last_value
    live.band, live.band_since = band, since
    live.same_value, live.same_since = same_value, same_since
    live.alarm_kinds = ",".join(sorted(kinds))
    silence = max(ops.offline_after_intervals * info.expected_interval_s, 1)
    live.offline_due = last_ts + dt.timedelta(seconds=silence + REFRESH_SECONDS)
    if kinds != before[2]:
        batch.states[info.id] = state_of(kinds)
    return held_changed or (band, since, kinds) != before


def _inside(info: PointInfo, items: list[tuple[dt.datetime, float]]) -> bool:
    """Whether every value lies strictly inside the normal range (no threshold reached: band_of says normal)."""
    values = [v for _, v in items]
    top, bottom = max(values), min(values)
    for limit in (info.high, info.high_high):
        if limit is not None and top >= limit:
            return False
    for limit in (info.low, info.low_low):
        if limit is not None and bottom <= limit:
            return False
    return True


def _judge_normal(
    info: PointInfo, live: _Live, items: list[tuple[dt.datetime, float]], ops: Operation
) -> bool:
    """The fast path of `_judge` (most readings): a normal point, no open condition, no rate watched, every value
    inside the normal range — nothing can be raised or recover, only the latest value and the held value move."""
    last_ts, last_value = live.last_ts, live.last_value
    same_value, same_since = live.same_value, live.same_since
    held_changed = False
    for ts, value in items:
        if last_ts is not None and ts <= last_ts:
            continue  # a late reading: stored, not judged
        if value != same_value:
            if same_since is not None and (ts - same_since).total_seconds() >= HELD_VALUE_SECONDS:
                held_changed = True
            same_value, same_since = value, ts
        last_ts, last_value = ts, value
    if last_ts is None:
        return False
    live.last_ts, live.last_value = last_ts, last_value
    live.same_value, live.same_since = same_value, same_since
    silence = max(ops.offline_after_intervals * info.expected_interval_s, 1)
    live.offline_due = last_ts + dt.timedelta(seconds=silence + REFRESH_SECONDS)
    return held_changed


def evaluate(readings: Sequence[tuple[PointInfo, dt.datetime, float]]) -> None:
    """`readings`: the batch's new readings (duplicates already dropped), ordered by point and time. Runs in the
    caller's transaction (ingestion's), or its own when called outside one; never a savepoint."""
    if not readings:
        return
    with transaction.atomic(savepoint=False):
        _evaluate(readings)


def _evaluate(readings: Sequence[tuple[PointInfo, dt.datetime, float]]) -> None:
    groups: dict[int, tuple[PointInfo, list[tuple[dt.datetime, float]]]] = {}
    for info, ts, value in readings:
        group = groups.get(info.id)
        if group is None:
            group = groups[info.id] = (info, [])
        group[1].append((ts, value))
    now = timezone.now()
    ids = sorted(groups)
    stale = now - dt.timedelta(seconds=REFRESH_SECONDS)
    lives = {row[0]: _Live(*row[1:]) for row in live_rows.lock(ids, stale)}
    windows = maintenance_windows(now)
    regions: dict[str, Operation] = {}
    batch = _Batch()
    today = timezone.localdate(now)
    write: list[tuple[object, ...]] = []
    for pid in ids:
        info, items = groups[pid]
        live = lives.get(pid)
        fresh = live is None
        if live is None:
            live = _Live()
        ops = regions.get(info.region_code)
        if ops is None:
            ops = regions[info.region_code] = figures(info.region_code, today)
        changed = _judge(info, live, items, ops, windows.get(pid, []), batch)
        if fresh or changed or live.updated_at is None or live.updated_at < stale:
            live.updated_at = now
            write.append(
                (
                    pid,
                    live.last_value,
                    live.last_ts,
                    live.band,
                    live.band_since,
                    live.same_value,
                    live.same_since,
                    live.alarm_kinds,
                    live.offline_due,
                    now,
                )
            )
    live_rows.write(write)
    if batch.recovered:
        recover(batch.recovered, now)
    if batch.raised:
        raise_alarms(batch.raised, now)
    if batch.states:
        set_states(batch.states)
