"""Certificate reminders in the to-do centre (anquan/core/todo.py, ADR 0017): for the enterprise's managers and the
supervising department, the certificates of people still employed whose review or expiry falls within the
reminder days of `personnel.certificates` (rule data), and those already past it. Counted live from each
certificate's `next_due_on` (the first day it needs attention) and `remind_from` (that less the reminder days in
force), both set when the certificate is written, in one query."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from anquan.core.permissions import Role
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem, counted
from anquan.rules.services import RuleMissing, in_force

from .models import Certificate
from .rules import CERTIFICATES

REMINDED = (Role.ENTERPRISE_MANAGER, Role.DEPARTMENT_SUPERVISOR)


def reminder_days(today: dt.date, region_code: str = "") -> int:
    try:
        return int(in_force(CERTIFICATES, today, region_code).values["reminder_days"])
    except RuleMissing:
        return 60


def items(user: Any) -> list[TodoItem]:
    if getattr(user, "role", None) not in REMINDED:
        return []
    today = timezone.localdate()
    url = reverse("personnel:certificates")
    rows = restrict(Certificate, user).filter(person__left_on__isnull=True)
    return counted(
        rows,
        "personnel",
        {
            "due": (
                "即将到期或待复审的人员证书",
                Q(remind_from__lte=today, next_due_on__gte=today),
                f"{url}?due=soon",
            ),
            "overdue": ("已过期或逾期未复审的人员证书", Q(next_due_on__lt=today), f"{url}?due=overdue"),
        },
    )
