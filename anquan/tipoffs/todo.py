"""What waits for a user among the tip-offs (the to-do centre, anquan/core/todo.py): the offices and department
supervisors in scope the tip-offs to accept, to verify, to conclude; the roles that decide rewards those to decide
and to pay. One aggregate query."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import Status
from .models import TipOff

STEPS = (
    ("accept", "待受理的举报", Status.RECEIVED, Perm.TIPOFF_HANDLE),
    ("verify", "待核查的举报", Status.ACCEPTED, Perm.TIPOFF_HANDLE),
    ("conclude", "核查中待办结的举报", Status.VERIFYING, Perm.TIPOFF_HANDLE),
    ("reward", "待决定奖励的举报", Status.SUBSTANTIATED, Perm.TIPOFF_IDENTITY),
    ("pay", "待发放奖励的举报", Status.REWARD_DECIDED, Perm.TIPOFF_IDENTITY),
)


def items(user: Any) -> list[TodoItem]:
    if not has_perm(user, Perm.TIPOFF_HANDLE):
        return []
    steps = [s for s in STEPS if has_perm(user, s[3])]
    qs = restrict(TipOff, user)
    if any(s[0] == "reward" for s in steps):
        qs_reward = Q(status=Status.SUBSTANTIATED, has_contact=True)
    else:
        qs_reward = Q(pk__in=[])
    counts = qs.aggregate(
        **{
            kind: Count("id", filter=qs_reward if kind == "reward" else Q(status=status))
            for kind, _, status, _ in steps
        }
    )
    url = reverse("tipoffs:list")
    return [
        TodoItem(f"tipoffs.{kind}", label, counts[kind], f"{url}?status={status}")
        for kind, label, status, _ in steps
    ]
