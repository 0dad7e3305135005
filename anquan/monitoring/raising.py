"""What the system does to alarms (evaluation.py, ticks.py): raise new ones in bulk — the rows, their `raise`
events, their audit entries, a notification to the enterprise's managers — and recover the open ones whose
condition has ended (the declared system step `recover`). Each runs in its caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from anquan.core import audit
from anquan.core.models import AuditAction
from anquan.core.notify import Message, notify_many
from anquan.core.permissions import Role
from anquan.core.workflow import actor_label

from .choices import AlarmAction, AlarmKind, AlarmStatus, PointState
from .models import Alarm, AlarmEvent, MonitoringPoint
from .workflow import FLOW, OPEN, POINT_STATE, TO_STATE

# the conditions evaluation watches while they last (a gap is a past hour's fact: it does not recover)
LIVE_KINDS = frozenset(
    {
        AlarmKind.HIGH_HIGH,
        AlarmKind.HIGH,
        AlarmKind.LOW,
        AlarmKind.LOW_LOW,
        AlarmKind.RATE,
        AlarmKind.STUCK,
        AlarmKind.OFFLINE,
    }
)


@dataclass(slots=True)
class NewAlarm:
    point_id: int
    enterprise_id: int
    installation_id: int | None
    region_code: str
    kind: str
    level: str
    message: str
    started_at: dt.datetime
    threshold: float | None = None
    value: float | None = None


def raise_alarms(new: list[NewAlarm], now: dt.datetime) -> list[Alarm]:
    """Insert the alarms (status raised), one `raise` event each, their audit entries, and notify each
    enterprise's managers. The supervising department is the point's."""
    if not new:
        return []
    departments = dict(
        MonitoringPoint.objects.filter(pk__in={n.point_id for n in new}).values_list(
            "pk", "supervising_department_id"
        )
    )
    alarms = Alarm.objects.bulk_create(
        [
            Alarm(
                point_id=n.point_id,
                enterprise_id=n.enterprise_id,
                installation_id=n.installation_id,
                region_code=n.region_code,
                supervising_department_id=departments.get(n.point_id),
                kind=n.kind,
                level=n.level,
                status=AlarmStatus.RAISED,
                message=n.message[:300],
                threshold=n.threshold,
                first_value=n.value,
                peak_value=n.value,
                started_at=n.started_at,
                raised_at=now,
                updated_at=now,
            )
            for n in new
        ]
    )
    system = actor_label(None)
    AlarmEvent.objects.bulk_create(
        [
            AlarmEvent(
                alarm=a,
                action=AlarmAction.RAISE,
                from_status="",
                to_status=AlarmStatus.RAISED,
                actor=None,
                actor_label=system,
                at=now,
                comment=a.message,
                data={"kind": a.kind, "level": a.level, "value": a.first_value, "threshold": a.threshold},
            )
            for a in alarms
        ]
    )
    audit.record_many(AuditAction.CREATE, alarms, actor=None, comment="系统报警")
    _notify_raised(alarms)
    return alarms


def _notify_raised(alarms: list[Alarm]) -> None:
    managers: dict[int, list[object]] = {}
    for user in get_user_model().objects.filter(
        enterprise_id__in={a.enterprise_id for a in alarms}, role=Role.ENTERPRISE_MANAGER, is_active=True
    ):
        if user.enterprise_id is not None:
            managers.setdefault(user.enterprise_id, []).append(user)
    notify_many(
        [
            Message(
                users=managers.get(a.enterprise_id, []),
                title=f"监测报警：{a.message}"[:200],
                key=f"alarm:{a.pk}:raised",
                url=reverse("monitoring:alarm", args=[a.pk]),
                subject=f"alarm:{a.pk}",
                step=AlarmStatus.RAISED,
            )
            for a in alarms
        ]
    )


def recover(conditions: Iterable[tuple[int, str]], now: dt.datetime) -> list[Alarm]:
    """Recover the open alarms of these (point id, alarm kind) conditions; a threshold condition ("high")
    recovers both the high and the high-high alarm of its side."""
    query = Q(pk__in=[])
    for point_id, kind in conditions:
        kinds = _side(kind)
        query |= Q(point_id=point_id, kind__in=kinds)
    alarms = list(Alarm.objects.filter(query, status__in=OPEN))
    if not alarms:
        return []
    return FLOW.apply_many(alarms, AlarmAction.RECOVER, changes={"recovered_at": now}, now=now)


def _side(kind: str) -> tuple[str, ...]:
    if kind in (AlarmKind.HIGH, AlarmKind.HIGH_HIGH):
        return (AlarmKind.HIGH, AlarmKind.HIGH_HIGH)
    if kind in (AlarmKind.LOW, AlarmKind.LOW_LOW):
        return (AlarmKind.LOW, AlarmKind.LOW_LOW)
    return (kind,)


def set_states(states: dict[int, str]) -> None:
    """Bring each point to its `state` (alarm/normal/offline) by the declared steps of POINT_STATE, leaving a point
    under maintenance as it is (only its window's end takes it out): one step per target state, only of the
    points whose state differs."""
    by_state: dict[str, list[MonitoringPoint]] = {}
    for point in MonitoringPoint.objects.filter(pk__in=list(states)).exclude(state=PointState.MAINTENANCE):
        state = states[point.pk]
        if point.state != state:
            by_state.setdefault(state, []).append(point)
    for state, points in by_state.items():
        POINT_STATE.apply_many(points, TO_STATE[state])
