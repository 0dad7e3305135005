"""How a case reads, on its page and in the API: the step bar (立案 → 调查取证 → 审理 → 告知 → 决定 → 送达 → 执行 →
结案) with who acts next and the case-time limit (剩余 N 天 / 超期 N 天), and the JSON shapes of api.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from . import actions, measures, paperwork
from .choices import BAR, TIMED, Action, ListingCondition, ReferralStatus, Stage
from .models import CreditListing, EnforcementCase, Referral
from .related import LISTING_FLOW
from .services import waiting_days
from .workflow import CASE_FLOW, REFERRAL_FLOW

RELATED = ("enterprise", "department", "unit_region", "rules_version", "hazard")
# who acts in each stage, as people name them
OWNER = {
    Stage.PENDING_APPROVAL: "本部门负责人（审批立案）",
    Stage.INVESTIGATING: "办案人员（调查取证）",
    Stage.REVIEWING: "本部门负责人（审理、告知）",
    Stage.NOTIFIED: "本部门负责人（听取陈述申辩后作出决定）",
    Stage.DECIDED: "办案人员（送达决定书）",
    Stage.EXECUTING: "办案人员（执行）",
    Stage.CLOSING: "本部门负责人（审批结案）",
}


@dataclass
class BarStep:
    label: str
    state: str  # done | current | todo | stopped


def step_bar(case: EnforcementCase) -> list[BarStep]:
    if case.status == Stage.NOT_OPENED:
        return [BarStep(str(Stage.PENDING_APPROVAL.label), "stopped")]
    current = BAR.index(Stage(case.status))
    steps = []
    for n, stage in enumerate(BAR):
        state = (
            "done" if n < current or case.status == Stage.CLOSED else "current" if n == current else "todo"
        )
        steps.append(BarStep(str(stage.label), state))
    return steps


def owner(case: EnforcementCase) -> str:
    return OWNER.get(Stage(case.status), "")


def version_json(version: Any) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "id": version.id,
        "effective_from": version.effective_from,
        "source": version.source,
        "verified": version.verified,
        "note": version.note,
    }


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def row(case: EnforcementCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": str(Stage(case.status).label),
        "unit": case.unit_name,
        "enterprise": case.enterprise.uscc,
        "enterprise_name": case.enterprise.name,
        "opened_on": case.opened_on,
        "deadline": case.deadline,
        "countdown": waiting_days(case),
        "fine_total_yuan": case.fine_total_yuan,
    }


def referral(r: Referral, user: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "status": r.status,
        "status_label": str(ReferralStatus(r.status).label),
        "suspected_crime": r.suspected_crime,
        "officers": [_name(u) for u in r.officers.order_by("username")],
        "persons": list(r.persons or []),
        "person_count": r.person_count,
        "proposed_at": r.proposed_at,
        "decision_due": r.decision_due,
        "decided_at": r.decided_at,
        "decision_late": r.decision_late,
        "transfer_due": r.transfer_due,
        "transferred_at": r.transferred_at,
        "transfer_late": r.transfer_late,
        "police_unit": r.police_unit,
        "police_answer": r.police_answer or None,
        "answered_on": r.answered_on,
        "actions": REFERRAL_FLOW.available(r, user),
    }


def listing(x: CreditListing, user: Any) -> dict[str, Any]:
    return {
        "id": x.pk,
        "case": x.case_id,
        "enterprise": x.case.enterprise.name,
        "condition": x.condition,
        "condition_label": str(ListingCondition(x.condition).label),
        "status": x.status,
        "listed_on": x.listed_on,
        "ends_on": x.ends_on,
        "removable_from": x.removable_from,
        "removed_on": x.removed_on,
        "rules_version": version_json(x.rules_version),
        "actions": LISTING_FLOW.available(x, user),
    }


def detail(case: EnforcementCase, user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    due = (
        measures.payment_due(case.delivered_on, actions.figures(case))
        if case.delivered_on and case.rules_version
        else None
    )
    return row(case) | {
        "source": case.source,
        "hazard": case.hazard_id,
        "inspection": case.inspection_id,
        "violated": case.violated,
        "facts": case.facts,
        "parties": case.parties,
        "investigators": [_name(u) for u in case.investigators.order_by("username")],
        "applied_on": case.applied_on,
        "rules_version": version_json(case.rules_version),
        "time_limit_days": case.time_limit_days,
        "extended_days": case.extended_days,
        "days_left": case.days_left(today),
        "notified_on": case.notified_on,
        "statement_window_ends": actions.statement_window_end(case) if case.rules_version else None,
        "hearing_right": actions.hearing_right(case) if case.notified_on else False,
        "hearing_requested": case.hearing_requested,
        "waived": case.waived,
        "legal_review_required": actions.legal_review_required(case),
        "legal_review_on": case.legal_review_on,
        "discussion_on": case.discussion_on,
        "proposed_measures": case.proposed_measures,
        "decided_on": case.decided_on,
        "measures": case.measures,
        "delivered_on": case.delivered_on,
        "delivery_method": case.delivery_method,
        "payment_due": due,
        "paid_yuan": case.paid_yuan,
        "payments": list(case.payments.values("paid_on", "amount_yuan", "days_late", "surcharge_yuan")),
        "extensions": list(case.extensions.values("days", "level", "reason")),
        "daily_penalty_days": case.daily_penalty_days,
        "daily_penalty_yuan": case.daily_penalty_yuan,
        "court_applied_on": case.court_applied_on,
        "closed_on": case.closed_on,
        "referrals": [referral(r, user) for r in case.referrals.all()],
        "listings": [
            listing(x, user) for x in case.listings.select_related("case__enterprise", "rules_version")
        ],
        "documents": paperwork.listed(case, user),
        "actions": CASE_FLOW.available(case, user)
        if case.status not in (Stage.CLOSED, Stage.NOT_OPENED)
        else [],
    }


def is_timed(case: EnforcementCase) -> bool:
    return case.status in TIMED


def fine_text(case: EnforcementCase) -> str:
    return measures.describe(case.measures or case.proposed_measures)


def today() -> dt.date:
    return timezone.localdate()


def action_label(action: str) -> str:
    """An event's step as people name it (立案申请 for the application itself)."""
    if action in Action.values:
        return str(Action(action).label)
    return "立案申请" if action == "apply" else action


def detail_actions(case: EnforcementCase, user: Any) -> list[str]:
    if case.status in (Stage.CLOSED, Stage.NOT_OPENED):
        return []
    return CASE_FLOW.available(case, user)


def fine_text_of(items: list[dict[str, Any]]) -> str:
    return measures.describe(items) if items else ""


def may_refer(case: EnforcementCase, user: Any) -> bool:
    """Whether the user may propose a referral now: an officer of an opened case."""
    from .workflow import is_officer

    return case.status not in (Stage.PENDING_APPROVAL, Stage.NOT_OPENED) and is_officer(user, case)
