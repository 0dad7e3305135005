"""What waits for a user among yearly inspection plans (the to-do centre, anquan/core/todo.py): the unit's
supervisor the plans submitted for approval (not those they submitted themselves); the preparers their
returned plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import PlanStatus
from .models import InspectionPlan


def items(user: Any) -> list[TodoItem]:
    if not user.department_id or not user.region_id:
        return []
    wanted: dict[str, tuple[str, Q]] = {}
    if has_perm(user, Perm.PLAN_APPROVE):  # not the plans they submitted themselves
        submitted = Q(status=PlanStatus.SUBMITTED) & ~Q(submitted_by=user)
        wanted["approve"] = ("待审批的年度监督检查计划", submitted)
    if has_perm(user, Perm.PLAN_PREPARE):
        wanted["resubmit"] = ("被退回的年度监督检查计划", Q(status=PlanStatus.RETURNED))
    if not wanted:
        return []
    counts = (  # one query for both
        restrict(InspectionPlan, user)
        .filter(department_id=user.department_id, region_code=user.region_code)
        .aggregate(**{kind: Count("pk", filter=condition) for kind, (_, condition) in wanted.items()})
    )
    url = reverse("inspectionplans:plans")
    status = {"approve": PlanStatus.SUBMITTED, "resubmit": PlanStatus.RETURNED}
    return [
        TodoItem(f"inspectionplans.{kind}", label, counts[kind], f"{url}?status={status[kind]}")
        for kind, (label, _) in wanted.items()
    ]
