"""What waits for a user among emergency plans (the to-do centre, anquan/core/todo.py, ADR 0017): the filing
department the submitted plans (and, apart, those whose check period ends by the next working day), the unit its
returned plans and its plans overdue for a drill. One aggregate query."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from anquan.core.scope import restrict
from anquan.core.todo import TodoItem, counted
from anquan.core.workdays import add_working_days

from .choices import PlanStatus
from .models import WRITERS, EmergencyPlan
from .services import overdue_drill_q
from .workflow import FILERS


def items(user: Any) -> list[TodoItem]:
    role = getattr(user, "role", None)
    if role not in WRITERS:
        return []
    today = timezone.localdate()
    url = reverse("emergency:plans")
    kinds: dict[str, tuple[str, Q, str]] = {}
    if role in FILERS and not user.enterprise_id:
        submitted = Q(status=PlanStatus.SUBMITTED)
        kinds["file"] = ("待备案的应急预案", submitted, f"{url}?status={PlanStatus.SUBMITTED}")
        kinds["file_soon"] = (
            "下一个工作日前须核对的应急预案备案",
            submitted & Q(filing_due__lte=add_working_days(today, 1)),
            f"{url}?status={PlanStatus.SUBMITTED}",
        )
    mine = Q(enterprise_id=user.enterprise_id) if user.enterprise_id else Q(enterprise__isnull=True)
    kinds["resubmit"] = (
        "被退回待修改的应急预案",
        mine & Q(status=PlanStatus.RETURNED),
        f"{url}?status={PlanStatus.RETURNED}",
    )
    if user.enterprise_id:
        kinds["drill"] = ("逾期未演练的应急预案", mine & overdue_drill_q(today), reverse("emergency:overdue"))
    return counted(restrict(EmergencyPlan, user), "emergency", kinds)
