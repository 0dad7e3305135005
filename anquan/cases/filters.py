"""The one filter of cases, shared by the list page and GET /api/v1/enforcement-cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.inputs import flag
from anquan.core.scope import restrict

from . import todo
from .choices import TIMED, Stage
from .models import EnforcementCase

MAX_Q = 50


def cases(user: Any, params: dict[str, Any]) -> QuerySet[EnforcementCase]:
    """The cases in `user`'s scope matching `params` (stage, department, enterprise, q, overdue, mine, due_soon)."""
    qs = restrict(EnforcementCase, user).select_related(
        "enterprise", "department", "unit_region", "rules_version"
    )
    stage = params.get("stage") or ""
    if stage and stage not in Stage.values and stage != "open":
        raise ValidationFailed([FieldError("stage", "invalid", "没有这个办案阶段")])
    if stage in Stage.values:
        qs = qs.filter(status=stage)
    elif stage == "open":
        qs = qs.exclude(status__in=(Stage.CLOSED, Stage.NOT_OPENED))
    if params.get("department"):
        qs = qs.filter(department__name=params["department"])
    if params.get("enterprise"):
        qs = qs.filter(enterprise__uscc=str(params["enterprise"]).upper())
    q = str(params.get("q") or "")[:MAX_Q].strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(facts__icontains=q))
    today = timezone.localdate()
    if flag(params.get("overdue"), "overdue"):
        qs = qs.filter(status__in=TIMED, deadline__lt=today)
    if flag(params.get("due_soon"), "due_soon"):
        qs = qs.filter(todo.waiting(user, "due_soon"))
    if flag(params.get("mine"), "mine"):
        qs = qs.filter(investigators=user)
    kind = str(params.get("todo") or "")
    if kind:
        if kind not in todo.KINDS:
            raise ValidationFailed([FieldError("todo", "invalid", "没有这种待办")])
        qs = qs.filter(todo.waiting(user, kind))
    return qs.distinct().order_by("-year", "-serial")
