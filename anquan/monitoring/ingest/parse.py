"""Decoding a gateway's payload into readings, and checking each (never raising on bad data).

The payload is UTF-8 JSON, either a list of readings or an object with the list under "readings":

    [{"device_id": "GT-101", "ts": "2026-12-02T08:00:00+08:00", "value": 12.5}, ...]
    {"readings": [{"device_id": "GT-101", "ts": 1764633600, "value": 12.5}, ...]}

`device_id` is the point's device id within the gateway's enterprise; `ts` is ISO 8601 *with* its offset (or
"Z") or epoch seconds (an integer or a fraction); `value` a JSON number. A reading is refused, counted by
`RejectReason`, when it cannot be read (not an object, a field missing, a time without offset), its device is
unknown or retired, its value is not a finite number (a string, a boolean, null), or its time lies more than
`FUTURE_MINUTES` ahead or further back than the raw retention (rule `monitoring.operation`). A payload that is not
JSON of either shape is one malformed refusal. The same (device, time) twice in a payload is kept once.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.utils import timezone

from anquan.rules.services import RuleMissing, in_force

from ..catalogue import PointInfo
from ..choices import RejectReason
from ..rules import MIN_RETENTION_DAYS, OPERATION

FUTURE_MINUTES = 5  # a gateway's clock may run this far ahead
EXAMPLE_CHARS = 300
UTC = dt.UTC

Reading = tuple[PointInfo, dt.datetime, float]


@dataclass(slots=True)
class Parsed:
    readings: list[Reading] = field(
        default_factory=list
    )  # valid, unique within the payload, in payload order
    duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # reason → the first refused item (cut)

    def refuse(self, reason: str, item: object, n: int = 1) -> None:
        self.rejected[reason] += n
        if reason not in self.examples:
            self.examples[reason] = example_of(item)


def example_of(item: object) -> str:
    if isinstance(item, bytes):
        text = item[:EXAMPLE_CHARS].decode("utf-8", "replace")
    else:
        try:
            text = orjson.dumps(item).decode()
        except TypeError:
            text = repr(item)
    return text[:EXAMPLE_CHARS]


def items_of(payload: bytes) -> list[Any] | None:
    """The payload's list of readings, or None when it is not JSON of either shape."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return None
    if isinstance(data, dict):
        data = data.get("readings")
    return data if isinstance(data, list) else None


def _timestamp(raw: object) -> dt.datetime | None:
    """The reading's time in UTC, or None when unreadable (a naive ISO time is unreadable: its zone is a guess)."""
    if isinstance(raw, str):
        try:
            ts = dt.datetime.fromisoformat(raw)
        except ValueError:
            return None
        if ts.tzinfo is None:
            return None
        return ts.astimezone(UTC)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            return dt.datetime.fromtimestamp(raw, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    return None


def parse(
    payload: bytes,
    devices: Mapping[str, PointInfo],
    *,
    retention_days: int,
    now: dt.datetime | None = None,
    seen: set[tuple[int, dt.datetime]] | None = None,
) -> Parsed:
    """Check every reading of `payload` against the enterprise's `devices` (catalogue.devices_of). `seen` carries
    the (point, time) keys already taken by earlier payloads of the same batch (updated in place)."""
    out = Parsed()
    items = items_of(payload)
    if items is None:
        out.refuse(RejectReason.MALFORMED, payload)
        return out
    now = now or dt.datetime.now(UTC)
    check(items, devices, out, now=now, retention_days=retention_days, seen=set() if seen is None else seen)
    return out


def check(
    items: Iterable[Any],
    devices: Mapping[str, PointInfo],
    out: Parsed,
    *,
    now: dt.datetime,
    retention_days: int,
    seen: set[tuple[int, dt.datetime]],
) -> None:
    latest = now + dt.timedelta(minutes=FUTURE_MINUTES)
    earliest = now - dt.timedelta(days=retention_days)
    keep = out.readings.append
    finite = math.isfinite
    times: dict[object, dt.datetime | None] = {}
    for item in items:
        try:
            device, raw_ts, value = item["device_id"], item["ts"], item["value"]
        except (TypeError, KeyError, IndexError):
            out.refuse(RejectReason.MALFORMED, item)
            continue
        info = devices.get(device) if isinstance(device, str) else None
        if info is None:
            out.refuse(RejectReason.UNKNOWN_DEVICE, item)
            continue
        if info.retired:
            out.refuse(RejectReason.RETIRED, item)
            continue
        if value.__class__ is not float:
            if value.__class__ is not int:  # a bool, a string, null, a list...
                out.refuse(RejectReason.NOT_NUMERIC, item)
                continue
            value = float(value)
        if not finite(value):
            out.refuse(RejectReason.NOT_NUMERIC, item)
            continue
        try:
            ts = times[raw_ts]  # a batch's readings mostly share a few times: each is parsed once
        except KeyError:
            ts = times[raw_ts] = _timestamp(raw_ts)
        except TypeError:  # not hashable (a list, an object)
            ts = None
        if ts is None:
            out.refuse(RejectReason.MALFORMED, item)
            continue
        if ts > latest:
            out.refuse(RejectReason.TS_FUTURE, item)
            continue
        if ts < earliest:
            out.refuse(RejectReason.TS_PAST, item)
            continue
        key = (info.id, ts)
        if key in seen:
            out.duplicates += 1
            continue
        seen.add(key)
        keep((info, ts, value))


_retention: dict[str, tuple[float, int]] = {}


def retention_days(region_code: str) -> int:
    """The raw retention (rule `monitoring.operation`) in force today in the region's province, kept a minute."""
    cached = _retention.get(region_code)
    if cached is not None and time.monotonic() - cached[0] < 60:
        return cached[1]
    try:
        days = int(in_force(OPERATION, timezone.localdate(), region_code).values["raw_retention_days"])
    except RuleMissing:
        days = MIN_RETENTION_DAYS
    _retention[region_code] = (time.monotonic(), days)
    return days
