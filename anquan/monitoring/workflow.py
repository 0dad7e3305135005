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

from .choices import AlarmAction, AlarmStatus
from .models import Alarm, AlarmEvent

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
