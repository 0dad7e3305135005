"""What waits in dispatches (the to-do centre, anquan/core/todo.py): for a unit, one item per task it has not yet
reported on in an open dispatch ("调度填报：<task> 截止<date>", saying so when the office reminded it), each
opening the report card; for an office, its own campaigns' dispatches past the due day with reports missing."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from anquan.core.todo import TodoItem

from . import dispatching
from .choices import DispatchStatus, TaskStatus
from .models import OFFICES, Dispatch, Reminder, Task, TaskReport

LIMIT = 20  # items listed per user; the sheet lists the rest


def _unit_items(user: Any) -> list[TodoItem]:
    today = timezone.localdate()
    rows = (
        Task.objects.filter(region_id=user.region_id, department_id=user.department_id)
        .filter(dispatching._reporting_tasks(), ~Q(status=TaskStatus.VERIFIED_DONE))
        .filter(campaign__dispatches__status=DispatchStatus.OPEN, campaign__dispatches__opens_on__lte=today)
        .annotate(dispatch_id=F("campaign__dispatches__id"), due_on=F("campaign__dispatches__due_on"))
        .filter(~Exists(TaskReport.objects.filter(task=OuterRef("pk"), dispatch=OuterRef("dispatch_id"))))
        .annotate(
            reminded=Exists(Reminder.objects.filter(task=OuterRef("pk"), dispatch=OuterRef("dispatch_id")))
        )
        .order_by("due_on", "order", "id")
        .values("pk", "title", "dispatch_id", "due_on", "reminded")[:LIMIT]
    )
    return [
        TodoItem(
            "campaigns.dispatch_report",
            f"调度填报：{row['title']} 截止{row['due_on']:%m月%d日}"
            + ("（已催报）" if row["reminded"] else ""),
            1,
            reverse("campaigns:report_form", kwargs={"pk": row["dispatch_id"], "task_pk": row["pk"]}),
        )
        for row in rows
    ]


def _office_items(user: Any) -> list[TodoItem]:
    today = timezone.localdate()
    missing = (
        Task.objects.filter(campaign=OuterRef("campaign"))
        .filter(dispatching._reporting_tasks(), ~Q(status=TaskStatus.VERIFIED_DONE))
        .filter(~Exists(TaskReport.objects.filter(task=OuterRef("pk"), dispatch=OuterRef(OuterRef("pk")))))
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Dispatch.objects.filter(region_code=user.region.code, status=DispatchStatus.OPEN, due_on__lt=today)
        .annotate(missing=Subquery(missing))
        .filter(missing__gt=0)
        .order_by("due_on", "id")
        .values("pk", "title", "campaign__name", "missing")[:LIMIT]
    )
    return [
        TodoItem(
            "campaigns.dispatch_missing",
            f"调度缺报：{row['campaign__name']}{row['title']}（{row['missing']}项未报送）",
            row["missing"],
            reverse("campaigns:dispatch_sheet", kwargs={"pk": row["pk"]}) + "?state=missing",
        )
        for row in rows
    ]


def items(user: Any) -> list[TodoItem]:
    if user.enterprise_id or user.region_id is None:
        return []
    found = _unit_items(user) if user.role in dispatching.REPORTERS else []
    if user.role in OFFICES and not user.department_id:
        found += _office_items(user)
    return found
