"""A control check task's declared workflow (anquan/core/workflow.py; periods and sweep in services.py).

A control check task (services.py): an open task is done by the enterprise's own managers while its period
runs — all normal, or with a hazard reported — or marked missed by the sweep once its period has ended.

    open ──done_normal──▶ done_normal
      ├───done_hazard──▶ done_hazard
      └───mark_missed──▶ missed          (the sweep: actor None)"""

from __future__ import annotations

from anquan.accounts.models import User
from anquan.core.permissions import Perm, has_perm
from anquan.core.workflow import SYSTEM, Transition, Workflow

from .choices import TaskStatus
from .models import CheckTask, CheckTaskEvent

# --- control check tasks -----------------------------------------------------------------------------


def can_complete(user: User | None, task: CheckTask) -> bool:
    """Only the enterprise's own active users who may complete checks (never the system: user None)."""
    return (
        user is not None
        and user.is_active
        and has_perm(user, Perm.CHECK_TASK_COMPLETE)
        and user.enterprise_id == task.enterprise_id
    )


COMPLETER_ONLY = "只有本企业的人员可以完成管控检查任务"

TASKS = Workflow(
    model=CheckTask,
    event_model=CheckTaskEvent,
    event_parent="task",
    status_labels=dict(TaskStatus.choices),
    field_labels={"outcome": "检查结果", "description": "隐患描述", "note": "备注"},
    stale_message="该检查任务已被他人处理，请刷新后重试",
    select_related=("point", "enterprise"),
    transitions={
        "done_normal": Transition(
            "完成检查（正常）",
            (TaskStatus.OPEN,),
            TaskStatus.DONE_NORMAL,
            can_complete,
            COMPLETER_ONLY,
            fields=("outcome", "note"),
        ),
        "done_hazard": Transition(
            "完成检查（报告隐患）",
            (TaskStatus.OPEN,),
            TaskStatus.DONE_HAZARD,
            can_complete,
            COMPLETER_ONLY,
            fields=("outcome", "description", "note"),
            required=("description",),
        ),
        "mark_missed": Transition("逾期未完成", (TaskStatus.OPEN,), TaskStatus.MISSED, {SYSTEM}),
    },
)
