"""What waits for a user among campaign tasks (the to-do centre, anquan/core/todo.py): a responsible unit its own
sub-tasks to do and those overdue; the office of a campaign's region the units' parts reported done, awaiting its
verification. One aggregate query."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.scope import restrict
from anquan.core.todo import NOTHING, TodoItem, counted

from .choices import TaskStatus
from .models import OFFICES, Task
from .workflow import UNIT_ROLES

VIEWS = ("mine", "overdue", "review")


def conditions(user: Any) -> dict[str, Q]:
    """view → the tasks it lists for `user` (the to-do's counts and the task list page read the same)."""
    unit = NOTHING
    if user.role in UNIT_ROLES and not user.enterprise_id and (user.department_id or user.role in OFFICES):
        unit = Q(region_id=user.region_id, department_id=user.department_id, subtasks__isnull=True)
    office = NOTHING
    if user.role in OFFICES and not user.department_id and not user.enterprise_id:
        office = Q(campaign__region_id=user.region_id, subtasks__isnull=True)
    return {
        "mine": unit & Q(status__in=(TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS))
        if unit != NOTHING
        else NOTHING,
        "overdue": unit & Q(status=TaskStatus.OVERDUE) if unit != NOTHING else NOTHING,
        "review": office & Q(status=TaskStatus.REPORTED_DONE) if office != NOTHING else NOTHING,
    }


LABELS = {
    "mine": "待办理的专项整治任务",
    "overdue": "已逾期的专项整治任务",
    "review": "待审核完成的专项整治任务",
}


def items(user: Any) -> list[TodoItem]:
    found = conditions(user)
    url = reverse("campaigns:tasks")
    return counted(
        restrict(Task, user),
        "campaigns",
        {view: (LABELS[view], found[view], f"{url}?view={view}") for view in VIEWS},
    )
