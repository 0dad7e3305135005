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


def _users(letter: Letter, who: Any) -> list[Any]:
    from anquan.accounts.models import User

    region = letter.recipient_region_id if who is is_recipient else letter.issuer_region_id
    return [u for u in User.objects.filter(region_id=region, is_active=True) if who(u, letter)]


def notify_step(letter: Letter, action: str, actor: Any, event: Any) -> None:
    """In-app notices in the step's transaction: the recipient of an issued (or sent back) letter, the issuing
    office of a reply; each clears the notices of the steps that no longer wait (core.notify.resolve)."""
    from django.urls import reverse

    from anquan.core.notify import notify, resolve

    subject = f"letter:{letter.pk}"
    url = reverse("letters:detail", args=[letter.pk])
    waiting = {LetterStatus.ISSUED: "reply", LetterStatus.OVERDUE: "reply", LetterStatus.REPLIED: "review"}
    step = waiting.get(LetterStatus(letter.status), "")
    resolve(subject, [step] if step else [])
    if action in ("issue", "send_back"):
        title = (
            f"收到{letter.get_kind_display()}：{letter.subject}"
            if action == "issue"
            else f"函件被退回重新回复：{letter.subject}"
        )
        notify(
            _users(letter, is_recipient),
            title,
            body=f"{letter.number}，请于{letter.reply_due:%Y-%m-%d}前回复",
            url=url,
            subject=subject,
            step="reply",
        )
    elif action == "reply":
        notify(
            _users(letter, is_issuer),
            f"函件已回复：{letter.subject}",
            body=letter.number,
            url=url,
            subject=subject,
            step="review",
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
    after=notify_step,
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
