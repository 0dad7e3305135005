"""What waits for an inspector among inspections (the to-do centre, anquan/core/todo.py): the ones they are
an inspector of that are planned for today or earlier and not yet done."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import Status
from .models import Inspection


def items(user: Any) -> list[TodoItem]:
    if not has_perm(user, Perm.INSPECTION_CONDUCT):
        return []
    today = timezone.localdate()
    mine = restrict(Inspection, user).filter(inspectors=user, status__in=[Status.PLANNED, Status.IN_PROGRESS])
    counts = mine.aggregate(  # one query: the to-do badge is on every page
        due=Count("id", filter=Q(planned_on=today)), overdue=Count("id", filter=Q(planned_on__lt=today))
    )
    url = reverse("inspections:mine")
    result = []
    if counts["due"]:
        result.append(TodoItem("inspections.today", "今日待检查的企业", counts["due"], url))
    if counts["overdue"]:
        result.append(TodoItem("inspections.overdue", "已过计划日期未完成的检查", counts["overdue"], url))
    return result
