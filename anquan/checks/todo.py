"""What waits for an enterprise among its control checks (the to-do centre, anquan/core/todo.py): the open
tasks of the periods running now, which its own users complete on the checks-of-today page."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import TaskStatus
from .models import CheckTask
from .workflow import can_complete


def items(user: User) -> list[TodoItem]:
    if not user.enterprise_id:
        return []
    now = timezone.now()
    tasks = restrict(CheckTask, user).filter(
        status=TaskStatus.OPEN, period_start__lte=now, period_end__gt=now
    )
    probe = CheckTask(enterprise_id=user.enterprise_id)
    if not can_complete(user, probe):
        return []
    return [TodoItem("checks.today", "今日待完成的管控检查", tasks.count(), reverse("checks:tasks_today"))]
