"""An emergency plan's filing (备案) as a declared workflow (anquan/core/workflow.py; the steps' work in actions.py):

    draft ──submit──▶ submitted ──file──▶ filed
                        │   ▲   └──lapse (the sweep)──▶ filed (by lapse of time)
                  return│   │resubmit
                        ▼   │
                      returned

    any current plan ──supersede──▶ superseded (a revision replaces it)

MEM Order 2 of 2019 art. 28: the department checks the materials within 5 working days; complete ones are filed
with a filing record, incomplete ones returned with the reasons stated once; "逾期不予备案又不说明理由的，视为已经
备案" — the `lapse` step, taken by the system (the sweep) once the check period has passed in silence."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from anquan.core.notify import notify, resolve
from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import who_can_see
from anquan.core.workflow import SYSTEM, Guard, Transition, Workflow

from .choices import CURRENT, PlanAction, PlanStatus
from .models import WRITERS, EmergencyPlan, PlanEvent

FILERS = roles_with(Perm.EMERGENCY_PLAN_FILE)
OWNER_ONLY = "只有预案编制单位可以提交或修订应急预案"
FILER_ONLY = "只有受理备案的部门（或安委办）可以办理预案备案"
HAS_DEPARTMENT = Guard({"filed_with__isnull": False}, "no_department", "请先选择受理备案的部门")


def is_owner(user: Any, plan: EmergencyPlan) -> bool:
    """The unit that wrote the plan: the enterprise's own managers; for a government plan, the offices and the
    department supervisors of its area (the scope check of the engine narrows them)."""
    if not getattr(user, "is_active", False) or getattr(user, "role", None) not in WRITERS:
        return False
    if plan.enterprise_id:
        return bool(user.enterprise_id == plan.enterprise_id)
    return not user.enterprise_id


def is_filer(user: Any, plan: EmergencyPlan) -> bool:
    """The department it is filed with (its supervisors), or the committee office of the area; never the enterprise."""
    if not getattr(user, "is_active", False) or getattr(user, "role", None) not in FILERS:
        return False
    if user.department_id:
        return bool(user.department_id == plan.filed_with_id)
    return True


def _notify(plan: EmergencyPlan, action: str, actor: Any, event: PlanEvent) -> None:
    """In the transaction of the step: a submitted plan is a task for the filing department; the outcome is told to
    the unit (a plan filed by lapse says so)."""
    url = reverse("emergency:plan", args=[plan.pk])
    about = f"emergency_plan:{plan.pk}"
    resolve(about, {plan.status})
    seeing = who_can_see(plan)
    if action in (PlanAction.SUBMIT, PlanAction.RESUBMIT):
        filers = [u for u in seeing.filter(role__in=FILERS, enterprise__isnull=True) if is_filer(u, plan)]
        notify(
            filers,
            f"{plan.owner_label}提交了应急预案《{plan.title}》备案，请在{plan.filing_due:%Y-%m-%d}前核对",
            url=url,
            subject=about,
            step=PlanStatus.SUBMITTED,
        )
        return
    owners = [u for u in seeing.filter(role__in=WRITERS) if is_owner(u, plan)]
    if action == PlanAction.FILE:
        notify(owners, f"应急预案《{plan.title}》已备案，备案编号{plan.record_number}", url=url)
    elif action == PlanAction.LAPSE:
        notify(
            owners,
            f"应急预案《{plan.title}》受理部门逾期未核对，依法视为已备案",
            body="《生产安全事故应急预案管理办法》第二十八条：逾期不予备案又不说明理由的，视为已经备案",
            url=url,
        )
    elif action == PlanAction.RETURN:
        notify(
            owners,
            f"应急预案《{plan.title}》备案被退回，请修改后重新提交",
            body=plan.return_reasons,
            url=url,
            subject=about,
            step=PlanStatus.RETURNED,
        )


FLOW = Workflow(
    model=EmergencyPlan,
    event_model=PlanEvent,
    event_parent="plan",
    status_labels=dict(PlanStatus.choices),
    field_labels={
        "record_number": "备案编号",
        "filed_on": "备案日期",
        "reasons": "退回理由",
        "comment": "说明",
    },
    stale_message="该预案的备案状态已被他人改变，请刷新后重试",
    select_related=("enterprise", "region", "filed_with", "owner_department"),
    after=_notify,
    transitions={
        PlanAction.SUBMIT: Transition(
            "提交备案",
            (PlanStatus.DRAFT,),
            PlanStatus.SUBMITTED,
            is_owner,
            OWNER_ONLY,
            guards=(HAS_DEPARTMENT,),
            fields=("comment",),
        ),
        PlanAction.FILE: Transition(
            "予以备案",
            (PlanStatus.SUBMITTED,),
            PlanStatus.FILED,
            is_filer,
            FILER_ONLY,
            fields=("record_number", "filed_on", "comment"),
            required=("record_number",),
        ),
        PlanAction.RETURN: Transition(
            "退回",
            (PlanStatus.SUBMITTED,),
            PlanStatus.RETURNED,
            is_filer,
            FILER_ONLY,
            fields=("reasons",),
            required=("reasons",),
        ),
        PlanAction.RESUBMIT: Transition(
            "重新提交备案",
            (PlanStatus.RETURNED,),
            PlanStatus.SUBMITTED,
            is_owner,
            OWNER_ONLY,
            guards=(HAS_DEPARTMENT,),
            fields=("comment",),
        ),
        # Order 2 art. 28: silence past the check period counts as filed (the sweep: actions.lapse_due)
        PlanAction.LAPSE: Transition(
            "逾期视为已备案", (PlanStatus.SUBMITTED,), PlanStatus.FILED, {SYSTEM}, "由系统按期限办理"
        ),
        PlanAction.SUPERSEDE: Transition(
            "被修订版本替代", CURRENT, PlanStatus.SUPERSEDED, is_owner, OWNER_ONLY
        ),
    },
)
