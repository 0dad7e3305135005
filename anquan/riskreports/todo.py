"""What waits for a user among the yearly risk reports (the to-do centre, anquan/core/todo.py): reviewers the
submitted reports in their scope, the enterprise its returned report."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import ReportStatus
from .models import RiskReport
from .workflow import can_prepare


def items(user: Any) -> list[TodoItem]:
    wanted: dict[str, tuple[str, str]] = {}
    if has_perm(user, Perm.RISK_REPORT_REVIEW):
        wanted["review"] = ("待审核的风险报告", ReportStatus.SUBMITTED)
    if user.enterprise_id and can_prepare(user, user.enterprise_id):
        wanted["resubmit"] = ("被退回待修改的风险报告", ReportStatus.RETURNED)
    if not wanted:
        return []
    counts = restrict(RiskReport, user).aggregate(
        **{kind: Count("pk", filter=Q(status=status)) for kind, (_, status) in wanted.items()}
    )
    url = reverse("riskreports:reports")
    return [
        TodoItem(f"riskreports.{kind}", label, counts[kind], f"{url}?status={status}")
        for kind, (label, status) in wanted.items()
    ]
