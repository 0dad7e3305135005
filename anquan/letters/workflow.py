"""A letter's declared workflow (anquan/core/workflow.py; the steps' own work in services.py):

draft ──issue──▶ issued ──reply──▶ replied ──close──▶ closed
  │                │  ▲               │
  │                │  └──send_back────┘        (退回重新回复, with a reason; overdue again when past the due day)
  │                └──mark_overdue──▶ overdue ──reply──▶ replied     (the daily sweep; a late reply)
  └──withdraw──▶ withdrawn ◀──withdraw── issued / overdue

The issuing office (an office user of `issuer_region`) issues, closes, sends back and withdraws; the recipient
replies: the office of `recipient_region` when the letter is to the region, else that region's department
supervisors of `recipient_department`. Scope (404) comes first: the engine checks `in_scope` of the actor."""

from __future__ import annotations

from typing import Any

from anquan.core.permissions import Role
from anquan.core.workflow import SYSTEM, Transition, Workflow

from .choices import Action, LetterStatus
from .models import Letter, LetterEvent

OFFICES = frozenset({Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.TOWNSHIP_OFFICE})
ISSUING = frozenset({Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE})
ISSUER_ONLY = "只有发函的安委办可以执行此操作"
RECIPIENT_ONLY = "只有受函单位可以回复"


def is_issuer(user: Any, letter: Letter) -> bool:
    """An office user (no department) of the issuing region."""
    return (
        getattr(user, "role", None) in ISSUING
        and not getattr(user, "department_id", None)
        and getattr(user, "region_id", None) == letter.issuer_region_id
    )


def is_recipient(user: Any, letter: Letter) -> bool:
    """The recipient region's office, or that region's supervisors of the recipient department."""
    if getattr(user, "region_id", None) != letter.recipient_region_id:
        return False
    if letter.recipient_department_id is None:
        return getattr(user, "role", None) in OFFICES and not getattr(user, "department_id", None)
    return (
        getattr(user, "role", None) == Role.DEPARTMENT_SUPERVISOR
        and user.department_id == letter.recipient_department_id
    )


S = LetterStatus
FLOW: Workflow[Letter] = Workflow(
    model=Letter,
    event_model=LetterEvent,
    event_parent="letter",
    status_labels=dict(S.choices),
    field_labels={"reply": "回复内容", "opinion": "办结意见", "reason": "理由"},
    stale_message="该函件已被他人处理，请刷新后重试",
    select_related=("issuer_region", "recipient_region", "recipient_department"),
    transitions={
        Action.ISSUE: Transition("发出", (S.DRAFT,), S.ISSUED, is_issuer, ISSUER_ONLY),
        Action.REPLY: Transition(
            "回复",
            (S.ISSUED, S.OVERDUE),
            S.REPLIED,
            is_recipient,
            RECIPIENT_ONLY,
            fields=("reply",),
            required=("reply",),
        ),
        Action.CLOSE: Transition(
            "办结", (S.REPLIED,), S.CLOSED, is_issuer, ISSUER_ONLY, fields=("opinion",), required=("opinion",)
        ),
        Action.SEND_BACK: Transition(
            "退回重新回复",
            (S.REPLIED,),
            S.ISSUED,
            is_issuer,
            ISSUER_ONLY,
            fields=("reason",),
            required=("reason",),
        ),
        Action.MARK_OVERDUE: Transition("逾期未回复", (S.ISSUED,), S.OVERDUE, {SYSTEM}),
        Action.WITHDRAW: Transition(
            "撤回",
            (S.DRAFT, S.ISSUED, S.OVERDUE),
            S.WITHDRAWN,
            is_issuer,
            ISSUER_ONLY,
            fields=("reason",),
            required=("reason",),
        ),
    },
)
