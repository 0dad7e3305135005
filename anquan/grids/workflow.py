"""A patrol task's declared workflow (anquan/core/workflow.py; periods and generation in services.py).

open ──check_in──▶ open            (a worker of the grid arrives: time and, if given, location)
  ├───complete──▶ done             (the last of its targets visited)
  └───mark_missed──▶ missed        (its period ended first: the sweep or a page that reads the counts)"""

from __future__ import annotations

from typing import Any

from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.workflow import SYSTEM, Transition, Workflow

from .choices import PatrolStatus
from .models import PatrolTask, PatrolTaskEvent


def can_patrol(user: Any, task: PatrolTask) -> bool:
    """A grid worker of the task's grid (active, allowed to report grid-patrol hazards); never the system."""
    return (
        user is not None
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) == Role.GRID_WORKER
        and has_perm(user, Perm.HAZARD_RECORD_GRID_PATROL)
        and task.grid.workers.filter(pk=user.pk).exists()
    )


WORKERS_ONLY = "只有本网格的网格员可以完成巡查任务"

PATROLS = Workflow(
    model=PatrolTask,
    event_model=PatrolTaskEvent,
    event_parent="task",
    status_labels=dict(PatrolStatus.choices),
    field_labels={"latitude": "纬度", "longitude": "经度"},
    stale_message="该巡查任务已被他人处理，请刷新后重试",
    select_related=("grid",),
    transitions={
        "check_in": Transition(
            "签到", (PatrolStatus.OPEN,), None, can_patrol, WORKERS_ONLY, fields=("latitude", "longitude")
        ),
        "complete": Transition("完成巡查", (PatrolStatus.OPEN,), PatrolStatus.DONE, can_patrol, WORKERS_ONLY),
        "mark_missed": Transition("逾期未巡查", (PatrolStatus.OPEN,), PatrolStatus.MISSED, {SYSTEM}),
    },
)
