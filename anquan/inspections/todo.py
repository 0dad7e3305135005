"""What waits for an inspector among inspections (the to-do centre, anquan/core/todo.py): the ones they are
an inspector of that are planned for today or earlier and not yet done (`items`), and the rectification reviews
of their inspections due soon or overdue (`reviews_due`), and their unit's 查封、扣押 about to end or ended and not
released (`seizures_due`). One query each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem, counted

from .choices import ReviewStatus, Status
from .models import Inspection, RectificationReview, Seizure, SeizureStatus
from .reviews import DUE_SOON_DAYS
from .seizure import DUE_SOON_DAYS as SEIZURE_DUE_SOON_DAYS


def items(user: Any) -> list[TodoItem]:
    if not has_perm(user, Perm.INSPECTION_CONDUCT):
        return []
    today = timezone.localdate()
    mine = restrict(Inspection, user).filter(inspectors=user, status__in=[Status.PLANNED, Status.IN_PROGRESS])
    url = reverse("inspections:mine")
    return counted(
        mine,
        "inspections",
        {
            "today": ("今日待检查的企业", Q(planned_on=today), url),
            "overdue": ("已过计划日期未完成的检查", Q(planned_on__lt=today), url),
        },
    )


def reviews_due(user: Any) -> list[TodoItem]:
    """The pending reviews of the inspections this user inspected, due within DUE_SOON_DAYS or overdue."""
    if not has_perm(user, Perm.INSPECTION_CONDUCT):
        return []
    today = timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    pending = restrict(RectificationReview, user).filter(
        inspection__inspectors=user, status=ReviewStatus.PENDING
    )
    url = reverse("inspections:reviews")
    return counted(
        pending,
        "inspections",
        {
            "review_due": (f"{DUE_SOON_DAYS}日内到期的整改复查", Q(due_on__gte=today, due_on__lte=soon), url),
            "review_overdue": ("已超期的整改复查", Q(due_on__lt=today), url),
        },
    )


def _unit_seizures(user: Any) -> QuerySet[Seizure]:
    """The seizures in force of the user's unit (its department in its region)."""
    return restrict(Seizure, user).filter(
        status=SeizureStatus.IN_FORCE,
        inspection__department_id=user.department_id,
        inspection__region_id=user.region_id,
    )


def seizures_due(user: Any) -> list[TodoItem]:
    """The unit's 查封、扣押 whose period ends within SEIZURE_DUE_SOON_DAYS, or has ended, not released."""
    if not has_perm(user, Perm.INSPECTION_CONDUCT) or not getattr(user, "department_id", None):
        return []
    today = timezone.localdate()
    soon = today + dt.timedelta(days=SEIZURE_DUE_SOON_DAYS)
    url = reverse("inspections:list")
    return counted(
        _unit_seizures(user),
        "inspections",
        {
            "seizure_due": (
                gettext("Seizures ending within %(days)d days") % {"days": SEIZURE_DUE_SOON_DAYS},
                Q(ends_on__gte=today, ends_on__lte=soon),
                url,
            ),
            "seizure_over": (gettext("Seizures past their end and not released"), Q(ends_on__lt=today), url),
        },
    )
