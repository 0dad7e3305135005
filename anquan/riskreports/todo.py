"""What waits for a user among the yearly risk reports (the to-do centre, anquan/core/todo.py): reviewers the
submitted reports in their scope, the enterprise its returned report."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem, counted

from .choices import ReportStatus
from .models import RiskReport
from .workflow import can_prepare


def items(user: Any) -> list[TodoItem]:
    url = reverse("riskreports:reports")
    kinds: dict[str, tuple[str, Q, str]] = {}
    if has_perm(user, Perm.RISK_REPORT_REVIEW):
        kinds["review"] = (
            "待审核的风险报告",
            Q(status=ReportStatus.SUBMITTED),
            f"{url}?status={ReportStatus.SUBMITTED}",
        )
    if user.enterprise_id and can_prepare(user, user.enterprise_id):
        returned = ReportStatus.RETURNED
        kinds["resubmit"] = ("被退回待修改的风险报告", Q(status=returned), f"{url}?status={returned}")
    return counted(restrict(RiskReport, user), "riskreports", kinds)
