"""A dispatch's declared workflow (anquan/core/workflow.py): open ──close──▶ closed.

The office of the campaign's area (or an office above it) closes a dispatch; the sweep closes it as the system
`CLOSE_AFTER_DAYS` after its reports were due (dispatching.close_due). The close event's `data` keeps what the
dispatch expected and who reported late or not at all (dispatching.close), so the sheet of a closed dispatch and
the on-time figures do not move when a task is verified done later."""

from __future__ import annotations

from anquan.core.workflow import SYSTEM, Transition, Workflow

from .choices import DispatchStatus
from .models import OFFICES, Dispatch, DispatchEvent

CLOSE = "close"

FLOW: Workflow[Dispatch] = Workflow(
    model=Dispatch,
    event_model=DispatchEvent,
    event_parent="dispatch",
    status_labels=dict(DispatchStatus.choices),
    field_labels={"comment": "说明"},
    stale_message="该调度已被他人处理，请刷新后重试",
    select_related=("campaign",),
    transitions={
        CLOSE: Transition(
            "结束调度",
            (DispatchStatus.OPEN,),
            DispatchStatus.CLOSED,
            frozenset(OFFICES) | {SYSTEM},
            "只有安委办可以结束调度",
            fields=("comment",),
        ),
    },
)
