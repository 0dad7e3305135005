"""An inspection's declared workflow (anquan/core/workflow.py; the steps' checks in services.py).

    planned ──start──▶ in_progress ──complete──▶ done
       └──────cancel (reason)──────┴──cancel──▶ cancelled

    in_progress | done ──take_measures──▶ (same)        现场处理措施决定书 (issuing.py)
    in_progress | done ──order_rectification──▶ (same)  责令限期整改指令书 and its review (issuing.py)
    in_progress | done ──seize──▶ (same)                强制措施决定书: 查封、扣押 (seizure.py)

Its own inspectors start and complete it (completion needs two inspectors, every item checked and the
enterprise's signatory with a signature: services.complete); whoever may plan inspections in scope may
cancel one that is not done, with a reason."""

from __future__ import annotations

from typing import Any

from anquan.core.permissions import Perm, has_perm
from anquan.core.workflow import Transition, Workflow

from .choices import ReviewStatus, Status
from .models import Inspection, InspectionEvent, RectificationReview, ReviewEvent


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
    field_labels={
        "reason": "取消原因",
        "signatory_name": "企业签字人",
        "measures": "现场处理措施",
        "legal_basis": "法律依据",
        "deadline": "整改期限",
        "items": "责令整改的问题",
        "measure": "强制措施",
        "period_days": "期限（日）",
    },
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
        "take_measures": Transition(
            "现场处理措施",
            (Status.IN_PROGRESS, Status.DONE),
            None,
            is_inspector_of,
            INSPECTORS_ONLY,
            fields=("measures", "other", "facts", "legal_basis", "deadline"),
        ),
        "seize": Transition(
            "查封扣押",
            (Status.IN_PROGRESS, Status.DONE),
            None,
            is_inspector_of,
            INSPECTORS_ONLY,
            fields=("measure", "items", "period_days", "facts", "legal_basis"),
        ),
        "order_rectification": Transition(
            "责令限期整改",
            (Status.IN_PROGRESS, Status.DONE),
            None,
            is_inspector_of,
            INSPECTORS_ONLY,
            fields=("items", "legal_basis", "deadline"),
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


# --- the rectification review (整改复查, reviews.py) --------------------------------------------------
#
#     pending ──rectified──▶ rectified           (整改复查意见书: 已整改完毕)
#        └─────not_rectified──▶ not_rectified  (整改复查意见书: 未整改完毕 → the case path)
#
# The order creates the review (a `create` event); the inspection's own inspectors record it.


def is_reviewer(user: Any, review: RectificationReview) -> bool:
    return is_inspector_of(user, review.inspection)


REVIEWERS_ONLY = "只有本次检查的执法人员可以复查"

REVIEWS: Workflow[RectificationReview] = Workflow(
    model=RectificationReview,
    event_model=ReviewEvent,
    event_parent="review",
    status_labels=dict(ReviewStatus.choices),
    field_labels={"results": "各项整改情况", "note": "复查意见"},
    stale_message="该复查已被他人记录，请刷新后查看",
    select_related=("inspection__enterprise", "order"),
    transitions={
        "rectified": Transition(
            "复查：已整改", (ReviewStatus.PENDING,), ReviewStatus.RECTIFIED, is_reviewer, REVIEWERS_ONLY
        ),
        "not_rectified": Transition(
            "复查：未整改",
            (ReviewStatus.PENDING,),
            ReviewStatus.NOT_RECTIFIED,
            is_reviewer,
            REVIEWERS_ONLY,
        ),
    },
)
