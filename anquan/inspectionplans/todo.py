"""What waits for a user among yearly inspection plans (the to-do centre, anquan/core/todo.py): the unit's
supervisor the plans submitted for approval (not those they submitted themselves); the preparers their
returned plans."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import PlanStatus
from .models import InspectionPlan


def items(user: Any) -> list[TodoItem]:
    if not user.department_id or not user.region_id:
        return []
    own = restrict(InspectionPlan, user).filter(
        department_id=user.department_id, region_code=user.region_code
    )
    url = reverse("inspectionplans:plans")
    found = []
    if has_perm(user, Perm.PLAN_APPROVE):
        n = own.filter(status=PlanStatus.SUBMITTED).exclude(submitted_by=user).count()
        found.append(
            TodoItem("inspectionplans.approve", "待审批的年度监督检查计划", n, f"{url}?status=submitted")
        )
    if has_perm(user, Perm.PLAN_PREPARE):
        n = own.filter(status=PlanStatus.RETURNED).count()
        found.append(
            TodoItem("inspectionplans.resubmit", "被退回的年度监督检查计划", n, f"{url}?status=returned")
        )
    return found
