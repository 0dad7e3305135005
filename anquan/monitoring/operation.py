"""The figures of `monitoring.operation` (rules.py) as evaluation and the tick read them: per province and day,
kept in the process for `TTL_SECONDS` (evaluation reads them per batch), and the warning level of an alarm."""

from __future__ import annotations

import datetime as dt
import time

from django.utils import timezone

from anquan.rules.services import in_force, province_code

from .choices import LEVEL_ORDER, AlarmKind, Level
from .rules import OPERATION, Operation

TTL_SECONDS = 30.0

_cache: dict[tuple[str, dt.date], tuple[float, Operation]] = {}


def figures(region_code: str, on: dt.date | None = None) -> Operation:
    """The operation figures in force for the province of `region_code` on `on` (today)."""
    on = on or timezone.localdate()
    key = (province_code(region_code) or "", on)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[0] < TTL_SECONDS:
        return cached[1]
    values = Operation.model_validate(in_force(OPERATION, on, region_code).values)
    _cache[key] = (now, values)
    return values


def forget() -> None:
    """Drop the cached figures (tests; a rule version saved in this process)."""
    _cache.clear()


_KIND_LEVEL: dict[str, str] = {
    AlarmKind.HIGH_HIGH: "level_high_high",
    AlarmKind.LOW_LOW: "level_high_high",
    AlarmKind.HIGH: "level_high",
    AlarmKind.LOW: "level_high",
    AlarmKind.RATE: "level_rate",
    AlarmKind.STUCK: "level_tamper",
    AlarmKind.OFFLINE: "level_tamper",
    AlarmKind.GAP: "level_tamper",
}


def level_of(kind: str, grade: int | None, ops: Operation) -> str:
    """The warning level of an alarm of `kind` at an installation of GB 18218 `grade` (None: not a major
    hazard): the rule's level for the kind, one step more severe for grades 1 and 2 when the rule says so."""
    level = Level(getattr(ops, _KIND_LEVEL[kind]))
    if ops.raise_for_grade_1_2 and grade in (1, 2):
        level = LEVEL_ORDER[max(0, LEVEL_ORDER.index(level) - 1)]
    return str(level.value)


def escalate_after(level: str, ops: Operation) -> dt.timedelta:
    return dt.timedelta(minutes=getattr(ops.escalate_after_minutes, level))
