"""An inspection's declared workflow (anquan/core/workflow.py; the steps' checks in services.py).

    planned ──start──▶ in_progress ──complete──▶ done
       └──────cancel (reason)──────┴──cancel──▶ cancelled

Its own inspectors start and complete it (completion needs two inspectors, every item checked and the
enterprise's signatory with a signature: services.complete); whoever may plan inspections in scope may
cancel one that is not done, with a reason."""

from __future__ import annotations

from typing import Any

from anquan.core.permissions import Perm, has_perm
from anquan.core.workflow import Transition, Workflow

from .choices import Status
from .models import Inspection, InspectionEvent


def is_inspector_of(user: Any, inspection: Inspection) -> bool:
    if not has_perm(user, Perm.INSPECTION_CONDUCT) or inspection.pk is None:
        return False
    return inspection.inspectors.filter(pk=user.pk).exists()


def can_cancel(user: Any, inspection: Inspection) -> bool:
    return has_perm(user, Perm.INSPECTION_PLAN)


INSPECTORS_ONLY = "只有本次检查的执法人员可以执行此操作"

INSPECTIONS: Workflow[Inspection] = Workflow(
    model=Inspection,
    event_model=InspectionEvent,
    event_parent="inspection",
    status_labels=dict(Status.choices),
    field_labels={"reason": "取消原因", "signatory_name": "企业签字人"},
    stale_message="该检查已被他人处理，请刷新后重试",
    select_related=("enterprise", "department", "region"),
    transitions={
        "start": Transition(
            "开始检查", (Status.PLANNED,), Status.IN_PROGRESS, is_inspector_of, INSPECTORS_ONLY
        ),
        "complete": Transition(
            "完成检查",
            (Status.IN_PROGRESS,),
            Status.DONE,
            is_inspector_of,
            INSPECTORS_ONLY,
            fields=("signatory_name",),
            required=("signatory_name",),
        ),
        "cancel": Transition(
            "取消检查",
            (Status.PLANNED, Status.IN_PROGRESS),
            Status.CANCELLED,
            can_cancel,
            "您无权取消检查",
            fields=("reason",),
            required=("reason",),
        ),
    },
)
