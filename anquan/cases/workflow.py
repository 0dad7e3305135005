"""A case's life, declared once (anquan.core.workflow): each step, the stages it runs from, the stage it leads to,
who may take it and the fields it takes. What the fields mean and the legal checks (the statement window, the
article's range, 法制审核 and 集体讨论) are in `actions.py`; the engine applies scope (404), stage (409), role
(403) and the guards (409) in one compare-and-set.

Who acts: the investigators named on the case (执法人员, at least two before 调查取证 ends) carry the file; the
issuing department's supervisor (负责人) approves 立案, reviews, notifies, decides and approves 结案.
"""

from __future__ import annotations

from typing import Any

from anquan.core.permissions import Role
from anquan.core.workflow import Guard, Transition, Workflow

from .choices import OPEN, TIMED, Action, ReferralStatus, Stage
from .models import CaseEvent, EnforcementCase, Referral


def is_supervisor(user: Any, case: Any) -> bool:
    """The issuing department's head (a department supervisor of that department)."""
    return (
        getattr(user, "role", None) == Role.DEPARTMENT_SUPERVISOR
        and user.department_id is not None
        and user.department_id == case.department_id
    )


def is_investigator(user: Any, case: Any) -> bool:
    if getattr(user, "pk", None) is None or getattr(user, "enterprise_id", None):
        return False
    return bool(case.investigators.filter(pk=user.pk).exists())


def is_officer(user: Any, case: Any) -> bool:
    return is_supervisor(user, case) or is_investigator(user, case)


TWO_INVESTIGATORS = Guard(
    {"investigator_count__gte": 2}, "too_few_investigators", "调查取证须有2名以上执法人员，请先指定办案人员"
)
SUPERVISOR_ONLY = "只有本部门负责人可以执行此操作"
INVESTIGATOR_ONLY = "只有本案的办案人员可以执行此操作"
OFFICER_ONLY = "只有本案的办案人员或本部门负责人可以执行此操作"
MEASURE_FIELDS = ("measures",)


def _t(
    action: Action,
    sources: tuple[str, ...],
    target: str | None,
    who: Any,
    refusal: str,
    fields: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    guards: tuple[Guard, ...] = (),
) -> Transition:
    return Transition(
        str(action.label), sources, target, who, refusal, guards=guards, fields=fields, required=required
    )


TRANSITIONS = {
    Action.APPROVE: _t(
        Action.APPROVE,
        (Stage.PENDING_APPROVAL,),
        Stage.INVESTIGATING,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("opened_on", "comment"),
    ),
    Action.REFUSE: _t(
        Action.REFUSE,
        (Stage.PENDING_APPROVAL,),
        Stage.NOT_OPENED,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("reason",),
        ("reason",),
    ),
    Action.ASSIGN: _t(
        Action.ASSIGN,
        (Stage.PENDING_APPROVAL, Stage.INVESTIGATING),
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("investigators",),
        ("investigators",),
    ),
    Action.EXTEND: _t(
        Action.EXTEND,
        TIMED,
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("days", "level", "reason"),
        ("days", "level", "reason"),
    ),
    Action.FINISH_INVESTIGATION: _t(
        Action.FINISH_INVESTIGATION,
        (Stage.INVESTIGATING,),
        Stage.REVIEWING,
        is_investigator,
        INVESTIGATOR_ONLY,
        ("report",),
        ("report",),
        (TWO_INVESTIGATORS,),
    ),
    Action.NOTIFY: _t(
        Action.NOTIFY,
        (Stage.REVIEWING,),
        Stage.NOTIFIED,
        is_supervisor,
        SUPERVISOR_ONLY,
        (
            "notified_on",
            "measures",
            "flag_public_interest",
            "flag_complex",
            "flag_other_law",
            "flag_serious",
            "comment",
        ),
        ("measures",),
    ),
    Action.STATEMENT: _t(
        Action.STATEMENT,
        (Stage.NOTIFIED,),
        None,
        is_officer,
        OFFICER_ONLY,
        ("statement_on", "statement", "hearing_requested", "waived", "waiver_note"),
        ("statement_on",),
    ),
    Action.HEARING: _t(
        Action.HEARING,
        (Stage.NOTIFIED,),
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("hearing_notice_on", "hearing_held_on", "comment"),
        ("hearing_notice_on", "hearing_held_on"),
    ),
    Action.LEGAL_REVIEW: _t(
        Action.LEGAL_REVIEW,
        (Stage.NOTIFIED,),
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("reviewed_on", "opinion"),
        ("opinion",),
    ),
    Action.DISCUSS: _t(
        Action.DISCUSS,
        (Stage.NOTIFIED,),
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("discussed_on", "note"),
        ("note",),
    ),
    Action.DECIDE: _t(
        Action.DECIDE,
        (Stage.NOTIFIED,),
        Stage.DECIDED,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("decided_on", "measures", "comment"),
        ("measures",),
    ),
    Action.DELIVER: _t(
        Action.DELIVER,
        (Stage.DECIDED,),
        Stage.EXECUTING,
        is_officer,
        OFFICER_ONLY,
        ("delivered_on", "method"),
        ("delivered_on", "method"),
    ),
    Action.PAY: _t(
        Action.PAY,
        (Stage.EXECUTING,),
        None,
        is_officer,
        OFFICER_ONLY,
        ("paid_on", "amount_yuan"),
        ("paid_on", "amount_yuan"),
    ),
    Action.DAILY_PENALTY: _t(
        Action.DAILY_PENALTY,
        (Stage.EXECUTING,),
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("from_date", "days", "comment"),
        ("from_date", "days"),
    ),
    Action.COURT: _t(
        Action.COURT,
        (Stage.EXECUTING,),
        None,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("applied_on", "comment"),
        ("applied_on",),
    ),
    Action.REQUEST_CLOSE: _t(
        Action.REQUEST_CLOSE,
        (Stage.EXECUTING,),
        Stage.CLOSING,
        is_investigator,
        INVESTIGATOR_ONLY,
        ("comment",),
    ),
    Action.APPROVE_CLOSE: _t(
        Action.APPROVE_CLOSE,
        (Stage.CLOSING,),
        Stage.CLOSED,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("closed_on", "comment"),
    ),
    Action.RETURN_CLOSE: _t(
        Action.RETURN_CLOSE,
        (Stage.CLOSING,),
        Stage.EXECUTING,
        is_supervisor,
        SUPERVISOR_ONLY,
        ("reason",),
        ("reason",),
    ),
}

FIELD_LABELS = {
    "reason": "理由",
    "investigators": "办案人员",
    "days": "延长天数",
    "level": "批准层级",
    "report": "案件调查报告",
    "measures": "处罚内容",
    "statement_on": "陈述申辩日期",
    "hearing_notice_on": "听证通知日期",
    "hearing_held_on": "听证举行日期",
    "opinion": "审核意见",
    "note": "讨论记录",
    "delivered_on": "送达日期",
    "method": "送达方式",
    "paid_on": "缴款日期",
    "amount_yuan": "缴款金额",
    "from_date": "起算日期",
    "applied_on": "申请日期",
}

CASE_FLOW: Workflow[EnforcementCase] = Workflow(
    model=EnforcementCase,
    event_model=CaseEvent,
    event_parent="case",
    transitions={str(k): v for k, v in TRANSITIONS.items()},
    status_labels={s.value: s.label for s in Stage},
    field_labels=FIELD_LABELS,
    stale_message="该案件已被他人处理，请刷新后重试",
    select_related=("enterprise", "department", "unit_region", "rules_version"),
)


# ---- 移送司法机关 -----------------------------------------------------------------------------------


def _referral_supervisor(user: Any, referral: Any) -> bool:
    return is_supervisor(user, referral.case)


def _referral_officer(user: Any, referral: Any) -> bool:
    return is_officer(user, referral.case)


REFERRAL_FLOW: Workflow[Referral] = Workflow(
    model=Referral,
    event_model=None,
    event_parent="",
    transitions={
        "approve": Transition(
            "批准移送",
            (ReferralStatus.PROPOSED,),
            ReferralStatus.APPROVED,
            _referral_supervisor,
            SUPERVISOR_ONLY,
            fields=("decided_at",),
        ),
        "decline": Transition(
            "不批准移送",
            (ReferralStatus.PROPOSED,),
            ReferralStatus.DECLINED,
            _referral_supervisor,
            SUPERVISOR_ONLY,
            fields=("decided_at", "reason"),
            required=("reason",),
        ),
        "transfer": Transition(
            "移送公安机关",
            (ReferralStatus.APPROVED,),
            ReferralStatus.TRANSFERRED,
            _referral_officer,
            OFFICER_ONLY,
            fields=("transferred_at", "police_unit"),
            required=("police_unit",),
        ),
        "answer": Transition(
            "记录公安答复",
            (ReferralStatus.TRANSFERRED,),
            ReferralStatus.ANSWERED,
            _referral_officer,
            OFFICER_ONLY,
            fields=("answer", "answered_on", "note"),
            required=("answer", "answered_on"),
        ),
    },
    status_labels={s.value: s.label for s in ReferralStatus},
    field_labels={
        "reason": "理由",
        "police_unit": "接收的公安机关",
        "answer": "公安答复",
        "answered_on": "答复日期",
    },
    stale_message="该移送已被他人处理，请刷新后重试",
    select_related=("case",),
)

__all__ = ["CASE_FLOW", "OPEN", "REFERRAL_FLOW", "is_investigator", "is_officer", "is_supervisor"]
