"""What waits for a user among yearly inspection plans (the to-do centre, anquan/core/todo.py): the unit's
supervisor the plans submitted for approval (not those they submitted themselves); the preparers their
returned plans."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem, counted

from .choices import PlanStatus
from .models import InspectionPlan


def items(user: Any) -> list[TodoItem]:
    if not user.department_id or not user.region_id:
        return []
    url = reverse("inspectionplans:plans")
    kinds: dict[str, tuple[str, Q, str]] = {}
    if has_perm(user, Perm.PLAN_APPROVE):  # not the plans they submitted themselves
        submitted = Q(status=PlanStatus.SUBMITTED) & ~Q(submitted_by=user)
        kinds["approve"] = ("待审批的年度监督检查计划", submitted, f"{url}?status={PlanStatus.SUBMITTED}")
    if has_perm(user, Perm.PLAN_PREPARE):
        returned = PlanStatus.RETURNED
        kinds["resubmit"] = ("被退回的年度监督检查计划", Q(status=returned), f"{url}?status={returned}")
    unit = restrict(InspectionPlan, user).filter(
        department_id=user.department_id, region_code=user.region_code
    )
    return counted(unit, "inspectionplans", kinds)
