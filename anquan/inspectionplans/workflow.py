"""The yearly inspection plan's declared workflow (anquan/core/workflow.py):

    草稿 draft ──submit──▶ 待审批 submitted ──approve──▶ 已批准 approved ──(a revision approved)──▶ superseded
        ▲                      │                            │
        └──── returned ◀─return┘ (with a reason)            └─revise: a new version (草稿) drafted from it

A department's inspectors and supervisors prepare and submit; its supervisor of the same region approves or
returns, and not the one who submitted it. An approved plan is never edited: `revise` drafts version n+1 with
its figures and key enterprises; when that version is approved, the one before it is superseded in the same
transaction, so exactly one version of a unit's year is in force."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.notify import notify, resolve
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import who_can_see
from anquan.core.workflow import Transition, Workflow, WorkflowEvent

from .choices import EntryDecision, PlanAction, PlanStatus
from .models import InspectionPlan, PlanEntry, PlanEvent
from .services import can_prepare

PREPARERS_ONLY = "只有本部门的执法人员或监管负责人可以提交和修订计划"
APPROVERS_ONLY = "只有本部门本级的监管负责人可以审批计划，且不能审批自己提交的计划"


def _preparer(user: User, plan: InspectionPlan) -> bool:
    return can_prepare(user, plan)


def can_approve(user: User, plan: InspectionPlan) -> bool:
    return (
        has_perm(user, Perm.PLAN_APPROVE)
        and user.department_id == plan.department_id
        and user.region_code == plan.region_code
        and plan.submitted_by_id != user.pk
    )


def _unit_approver(user: User, plan: InspectionPlan) -> bool:
    return (
        has_perm(user, Perm.PLAN_APPROVE)
        and user.department_id == plan.department_id
        and user.region_code == plan.region_code
    )


def approvers(plan: InspectionPlan) -> list[User]:
    return [u for u in who_can_see(plan) if can_approve(u, plan)]


def _notify(plan: InspectionPlan, action: str, actor: Any, event: WorkflowEvent | None) -> None:
    url = reverse("inspectionplans:plan", args=[plan.pk])
    about = f"inspection_plan:{plan.pk}"
    resolve(about, {plan.status})
    if action == PlanAction.SUBMIT:
        notify(
            approvers(plan), f"{plan.title}已提交，请审批", url=url, subject=about, step=PlanStatus.SUBMITTED
        )
    elif action in (PlanAction.APPROVE, PlanAction.RETURN) and plan.submitted_by is not None:
        done = "已批准" if action == PlanAction.APPROVE else "被退回，请修改后重新提交"
        notify([plan.submitted_by], f"{plan.title}{done}", body=event.comment if event else "", url=url)


PLANS: Workflow[InspectionPlan] = Workflow(
    model=InspectionPlan,
    event_model=PlanEvent,
    event_parent="plan",
    status_labels=dict(PlanStatus.choices),
    field_labels={"comment": "审批意见", "reason": "退回理由"},
    stale_message="计划状态已被他人改变，请刷新后重试",
    select_related=("region", "department", "submitted_by"),
    after=_notify,
    transitions={
        PlanAction.SUBMIT: Transition(
            "提交审批",
            (PlanStatus.DRAFT, PlanStatus.RETURNED),
            PlanStatus.SUBMITTED,
            _preparer,
            PREPARERS_ONLY,
        ),
        PlanAction.APPROVE: Transition(
            "批准",
            (PlanStatus.SUBMITTED,),
            PlanStatus.APPROVED,
            can_approve,
            APPROVERS_ONLY,
            fields=("comment",),
        ),
        PlanAction.RETURN: Transition(
            "退回",
            (PlanStatus.SUBMITTED,),
            PlanStatus.RETURNED,
            can_approve,
            APPROVERS_ONLY,
            fields=("reason",),
            required=("reason",),
        ),
        PlanAction.REVISE: Transition("修订", (PlanStatus.APPROVED,), None, _preparer, PREPARERS_ONLY),
        PlanAction.SUPERSEDE: Transition(
            "被修订版本替代", (PlanStatus.APPROVED,), PlanStatus.SUPERSEDED, _unit_approver, APPROVERS_ONLY
        ),
    },
)


def available(plan: InspectionPlan, user: User) -> list[str]:
    return [a for a in PLANS.available(plan, user) if a != PlanAction.SUPERSEDE]


def transition(plan: InspectionPlan, action: str, *, actor: User, **fields: Any) -> InspectionPlan:
    """Take `action` on `plan` (the page and the API both call this). Returns the plan as stored after it;
    for `revise`, the new draft version."""
    fields = {k: v for k, v in fields.items() if v not in (None, "")}
    PLANS.accept_fields(action, fields)
    comment = str(fields.get("comment") or fields.get("reason") or "").strip()
    if len(comment) > 2000:
        raise ValidationFailed(
            [FieldError("reason" if "reason" in fields else "comment", "too_long", "不超过2000字")]
        )
    now = timezone.now()
    with transaction.atomic():
        PLANS.check(plan, action, actor)
        if action == PlanAction.SUBMIT:
            pending = plan.entries.filter(decision=EntryDecision.PENDING).count()
            if pending:
                raise Conflict(
                    "entries_pending", f"还有{pending}家重点企业的建议检查次数未确认（采纳或调整）"
                )
            fresh, _ = PLANS.apply(
                plan,
                action,
                actor=actor,
                changes={"submitted_by": actor, "submitted_at": now, "return_reason": ""},
            )
            return fresh
        if action == PlanAction.APPROVE:
            fresh, _ = PLANS.apply(
                plan, action, actor=actor, comment=comment, changes={"approved_by": actor, "approved_at": now}
            )
            if plan.previous_id:
                previous = InspectionPlan.objects.get(pk=plan.previous_id)
                PLANS.apply(previous, PlanAction.SUPERSEDE, actor=actor, comment=f"第{plan.version}版已批准")
            return fresh
        if action == PlanAction.RETURN:
            fresh, _ = PLANS.apply(
                plan, action, actor=actor, comment=comment, changes={"return_reason": comment}
            )
            return fresh
        return _revise(plan, actor=actor)


def _revise(plan: InspectionPlan, *, actor: User) -> InspectionPlan:
    """Version n+1 as a draft, with the approved version's inputs and key enterprises (decisions kept)."""
    if InspectionPlan.objects.filter(previous=plan).exists():
        raise Conflict("revision_exists", "这份计划已有修订中的版本：请打开它继续修改")
    PLANS.apply(plan, PlanAction.REVISE, actor=actor, comment=f"起草第{plan.version + 1}版")
    copy = InspectionPlan.objects.get(pk=plan.pk)
    entries = list(copy.entries.all())
    copy.pk = None
    copy.version = plan.version + 1
    copy.previous = plan
    copy.status = PlanStatus.DRAFT
    copy.submitted_by = copy.approved_by = None
    copy.submitted_at = copy.approved_at = None
    copy.return_reason = ""
    copy.created_by = actor
    copy.created_at = copy.updated_at = timezone.now()
    copy.save()
    for entry in entries:
        entry.pk = None
        entry.plan = copy
    PlanEntry.objects.bulk_create(entries)
    audit.record(
        AuditAction.CREATE, copy, actor=actor, after=audit.snapshot(copy), comment=f"修订第{plan.version}版"
    )
    PLANS.record_event(
        copy, PlanAction.CREATE, actor=actor, from_status="", comment=f"修订第{plan.version}版"
    )
    return copy
