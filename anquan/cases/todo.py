"""What waits in the to-do centre (ADR 0017) from enforcement cases: each case's next step for the person who
must take it — the head approves 立案, reviews and notifies, decides and approves 结案; the investigators carry
the investigation, delivery and execution — and the cases whose case-time limit runs out within WARN_DAYS."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from anquan.core.permissions import Role
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import TIMED, ListingStatus, ReferralStatus, Stage
from .models import EnforcementCase

WARN_DAYS = 7  # a warning a week before the case-time limit (a working habit, not a legal figure)
NOTHING = Q(pk__in=[])


def _head(user: Any) -> Q:
    if user.role != Role.DEPARTMENT_SUPERVISOR or not user.department_id:
        return NOTHING
    return Q(department_id=user.department_id)


def _mine(user: Any) -> Q:
    if user.role not in (Role.INSPECTOR, Role.DEPARTMENT_SUPERVISOR):
        return NOTHING
    return Q(investigators=user)


def _due_soon(user: Any) -> Q:
    head, own = _head(user), _mine(user)
    if head == NOTHING and own == NOTHING:
        return NOTHING
    mine = own if head == NOTHING else head | own
    limit = timezone.localdate() + dt.timedelta(days=WARN_DAYS)
    return mine & Q(status__in=TIMED, deadline__lte=limit)


def _stage(stage: str, who: Callable[[Any], Q]) -> Callable[[Any], Q]:
    def condition(user: Any) -> Q:
        q = who(user)
        return NOTHING if q == NOTHING else q & Q(status=stage)

    return condition


def _with(extra: Callable[[], Q], who: Callable[[Any], Q]) -> Callable[[Any], Q]:
    """Cases the user must act on for a record hanging off them (a referral, a listing)."""

    def condition(user: Any) -> Q:
        q = who(user)
        return NOTHING if q == NOTHING else q & extra()

    return condition


def _referral(status: str) -> Callable[[], Q]:
    return lambda: Q(referrals__status=status)


def _listing_ended() -> Q:
    return Q(listings__status=ListingStatus.LISTED, listings__ends_on__lte=timezone.localdate())


# kind → (label, condition, the list's filter)
KINDS: dict[str, tuple[str, Callable[[Any], Q], str]] = {
    "approve": ("待审批立案的案件", _stage(Stage.PENDING_APPROVAL, _head), "stage=pending_approval"),
    "investigate": ("调查取证中的案件", _stage(Stage.INVESTIGATING, _mine), "stage=investigating&mine=1"),
    "review": ("待审理告知的案件", _stage(Stage.REVIEWING, _head), "stage=reviewing"),
    "statement": (
        "待记录陈述申辩的案件",
        _with(lambda: Q(statement_on__isnull=True), _stage(Stage.NOTIFIED, _mine)),
        "todo=statement",
    ),
    "decide": ("待作出处罚决定的案件", _stage(Stage.NOTIFIED, _head), "stage=notified"),
    "deliver": ("待送达的处罚决定", _stage(Stage.DECIDED, _mine), "stage=decided&mine=1"),
    "execute": ("执行中的案件", _stage(Stage.EXECUTING, _mine), "stage=executing&mine=1"),
    "close": ("待审批结案的案件", _stage(Stage.CLOSING, _head), "stage=closing"),
    "due_soon": (f"办案期限{WARN_DAYS}日内届满的案件", _due_soon, "due_soon=1"),
    "refer_decide": (
        "待决定是否移送司法机关的案件",
        _with(_referral(ReferralStatus.PROPOSED), _head),
        "todo=refer_decide",
    ),
    "refer_transfer": (
        "已批准待移送公安机关的案件",
        _with(_referral(ReferralStatus.APPROVED), _mine),
        "todo=refer_transfer",
    ),
    "refer_answer": (
        "待记录公安机关答复的移送",
        _with(_referral(ReferralStatus.TRANSFERRED), _mine),
        "todo=refer_answer",
    ),
    "listing_ended": ("失信名单管理期限届满待移出", _with(_listing_ended, _head), "todo=listing_ended"),
}


def waiting(user: Any, kind: str) -> Q:
    return KINDS[kind][1](user)


def items(user: Any) -> list[TodoItem]:
    wanted = {kind: waiting(user, kind) for kind in KINDS}
    wanted = {kind: q for kind, q in wanted.items() if q != NOTHING}
    if not wanted:
        return []
    counts = restrict(EnforcementCase, user).aggregate(
        **{kind: Count("pk", filter=q, distinct=True) for kind, q in wanted.items()}
    )
    base = reverse("cases:list")
    return [
        TodoItem(f"cases.{kind}", KINDS[kind][0], counts[kind], f"{base}?{KINDS[kind][2]}") for kind in wanted
    ]
