"""An alarm's declared workflow (anquan/core/workflow.py; the steps' own work in actions.py):

raised ──acknowledge──▶ acknowledged ──dispose──▶ disposing ──close──▶ closed
  │  ▲                                                                 ▲
  │  └─ escalate (system, the status stays: county → city → province)  │
  └──────── recover (system, from any open state) ──▶ recovered ──close┘

The system raises an alarm (evaluation.py, ticks.py), recovers it when the values are back to normal and escalates
one not acknowledged in time up the region chain. The enterprise's managers acknowledge, dispose and close; once
escalated, the offices of the region chain and the supervising department (their scope decides) may acknowledge
and close it as well. A tamper sign (stuck, offline, gaps: Criminal Law art. 134-1) is closed only with a disposal
note (checked in actions.close, where the note may be given)."""

from __future__ import annotations

from typing import Any

from anquan.core.notify import resolve
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.workflow import SYSTEM, Transition, Workflow

from .choices import AlarmAction, AlarmStatus, PointState
from .models import Alarm, AlarmEvent, MonitoringPoint

ENTERPRISE_ONLY = "只有本企业的管理人员可以处置报警"
HANDLERS_ONLY = "只有本企业的管理人员，或报警已上报后的安委办和监管部门可以处理"


def enterprise(user: Any, alarm: Any) -> bool:
    return user is not None and getattr(user, "role", None) == Role.ENTERPRISE_MANAGER


def handler(user: Any, alarm: Any) -> bool:
    """The enterprise's managers; the authorities with ALARM_HANDLE once the alarm is escalated (scope decides
    which of them: the region chain above the enterprise, its supervising department)."""
    if user is None:
        return False
    if enterprise(user, alarm):
        return True
    return bool(alarm.escalated_to) and not user.enterprise_id and has_perm(user, Perm.ALARM_HANDLE)


def after(alarm: Alarm, action: str, actor: Any, event: Any) -> None:
    """The notifications announcing a step of this alarm that is no longer waiting are done (raised → acknowledged
    clears the raise and escalation notices for everyone)."""
    resolve(f"alarm:{alarm.pk}", [alarm.status])


OPEN = (AlarmStatus.RAISED, AlarmStatus.ACKNOWLEDGED, AlarmStatus.DISPOSING)

FLOW = Workflow(
    model=Alarm,
    event_model=AlarmEvent,
    event_parent="alarm",
    status_labels=dict(AlarmStatus.choices),
    field_labels={"disposal": "处置情况", "comment": "说明"},
    stale_message="该报警已被他人处理或已变化，请刷新后重试",
    select_related=("point", "enterprise"),
    after=after,
    transitions={
        AlarmAction.ACKNOWLEDGE: Transition(
            "确认",
            (AlarmStatus.RAISED,),
            AlarmStatus.ACKNOWLEDGED,
            handler,
            HANDLERS_ONLY,
            fields=("comment",),
        ),
        AlarmAction.DISPOSE: Transition(
            "开始处置",
            (AlarmStatus.ACKNOWLEDGED,),
            AlarmStatus.DISPOSING,
            enterprise,
            ENTERPRISE_ONLY,
            fields=("disposal", "comment"),
            required=("disposal",),
        ),
        AlarmAction.CLOSE: Transition(
            "关闭",
            (AlarmStatus.DISPOSING, AlarmStatus.RECOVERED),
            AlarmStatus.CLOSED,
            handler,
            HANDLERS_ONLY,
            fields=("disposal", "comment"),
            required=("comment",),
        ),
        AlarmAction.RECOVER: Transition("数值恢复正常", OPEN, AlarmStatus.RECOVERED, {SYSTEM}),
        AlarmAction.ESCALATE: Transition("逐级上报", (AlarmStatus.RAISED,), None, {SYSTEM}),
    },
)


# A point's state, set only by the system (docs/adr/0043): alarm evaluation and the offline check move it between
# normal, alarm and offline (raising.set_states); an approved maintenance window puts it in maintenance and its end
# returns it to the state its open alarms say (maintenance.apply_windows). A point in maintenance is left there by
# evaluation: only the end of its window takes it out. Audited per point (no event table).
POINT_STATE = Workflow(
    model=MonitoringPoint,
    event_model=None,
    event_parent="point",
    status_field="state",
    status_labels=dict(PointState.choices),
    transitions={
        "maintenance_start": Transition(
            "进入维护期",
            (PointState.NORMAL, PointState.ALARM, PointState.OFFLINE),
            PointState.MAINTENANCE,
            {SYSTEM},
        ),
        "maintenance_end": Transition("维护期结束", (PointState.MAINTENANCE,), PointState.NORMAL, {SYSTEM}),
        "maintenance_end_alarm": Transition(
            "维护期结束，仍有报警", (PointState.MAINTENANCE,), PointState.ALARM, {SYSTEM}
        ),
        "maintenance_end_offline": Transition(
            "维护期结束，仍离线", (PointState.MAINTENANCE,), PointState.OFFLINE, {SYSTEM}
        ),
        "alarm": Transition("出现报警", (PointState.NORMAL, PointState.OFFLINE), PointState.ALARM, {SYSTEM}),
        "offline": Transition("离线", (PointState.NORMAL, PointState.ALARM), PointState.OFFLINE, {SYSTEM}),
        "normal": Transition("恢复正常", (PointState.ALARM, PointState.OFFLINE), PointState.NORMAL, {SYSTEM}),
    },
)
# the step that brings a point to each state outside maintenance, and out of maintenance to it
TO_STATE: dict[str, str] = {
    PointState.ALARM: "alarm",
    PointState.OFFLINE: "offline",
    PointState.NORMAL: "normal",
}
END_TO: dict[str, str] = {
    PointState.ALARM: "maintenance_end_alarm",
    PointState.OFFLINE: "maintenance_end_offline",
    PointState.NORMAL: "maintenance_end",
}
