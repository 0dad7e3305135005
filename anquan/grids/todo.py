"""What waits among patrols (the to-do centre, anquan/core/todo.py): a grid worker's open patrol tasks of the
running periods, and for an office the tasks missed in the last 30 days in its area."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import PatrolStatus
from .models import PatrolTask


def items(user: User) -> list[TodoItem]:
    if user.enterprise_id:
        return []
    now = timezone.now()
    if user.role == Role.GRID_WORKER:
        mine = restrict(PatrolTask, user).filter(
            grid__workers=user, status=PatrolStatus.OPEN, period_start__lte=now, period_end__gt=now
        )
        return [TodoItem("grids.today", "今日待完成的网格巡查", mine.count(), reverse("grids:patrols_today"))]
    if not has_perm(user, Perm.ORG_MANAGE):
        return []
    since = now - dt.timedelta(days=30)
    overdue = restrict(PatrolTask, user).filter(  # missed, or open past its period and not yet marked
        Q(status=PatrolStatus.MISSED) | Q(status=PatrolStatus.OPEN, period_end__lte=now),
        period_end__gte=since,
    )
    return [TodoItem("grids.missed", "逾期未完成的网格巡查", overdue.count(), reverse("grids:missed"))]
