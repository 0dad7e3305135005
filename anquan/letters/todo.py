"""What waits for a user among the letters (the to-do centre, anquan/core/todo.py): the recipient's letters to
reply to (those past their due day apart, in red on the list), the issuing office's replies to review and its
letters whose reply is overdue. One aggregate query."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.permissions import Role
from anquan.core.scope import restrict
from anquan.core.todo import NOTHING, TodoItem, counted

from .choices import LetterStatus
from .models import Letter
from .workflow import ISSUING, OFFICES


def mine_to_reply(user: Any) -> Q:
    """The letters addressed to the user's unit (its office, or its department there)."""
    if not getattr(user, "region_id", None):
        return NOTHING
    if getattr(user, "department_id", None):
        if user.role != Role.DEPARTMENT_SUPERVISOR:
            return NOTHING
        return Q(recipient_region_id=user.region_id, recipient_department_id=user.department_id)
    if user.role not in OFFICES:
        return NOTHING
    return Q(recipient_region_id=user.region_id, recipient_department__isnull=True)


def mine_issued(user: Any) -> Q:
    if getattr(user, "role", None) not in ISSUING or getattr(user, "department_id", None):
        return NOTHING
    return Q(issuer_region_id=user.region_id)


BOXES = {
    # box → (label, whose letters, status)
    "reply": ("待回复的函件", mine_to_reply, LetterStatus.ISSUED),
    "reply_overdue": ("逾期未回复的函件", mine_to_reply, LetterStatus.OVERDUE),
    "review": ("待审核的函件回复", mine_issued, LetterStatus.REPLIED),
    "issued_overdue": ("发出后逾期未回复的函件", mine_issued, LetterStatus.OVERDUE),
}


def box(user: Any, name: str) -> Q:
    """The condition of one to-do box (the list page's `?box=`); NOTHING for a box that is not the user's."""
    spec = BOXES.get(name)
    if spec is None:
        return NOTHING
    whose = spec[1](user)
    return NOTHING if whose == NOTHING else whose & Q(status=spec[2])


def items(user: Any) -> list[TodoItem]:
    url = reverse("letters:list")
    kinds = {name: (label, box(user, name), f"{url}?box={name}") for name, (label, _, _) in BOXES.items()}
    return counted(restrict(Letter, user), "letters", kinds)
