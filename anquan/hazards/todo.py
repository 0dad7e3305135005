"""What waits for a user in the hazards module (the to-do centre, anquan/core/todo.py)."""

from django.urls import reverse

from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from . import rules
from .choices import Status
from .models import Hazard


def items(user) -> list[TodoItem]:
    if not rules.is_authority(user):
        return []
    count = restrict(Hazard, user).filter(status=Status.REPORTED).count()
    url = reverse("hazards:ledger") + "?status=" + Status.REPORTED
    return [TodoItem("hazards.accept", "待受理隐患", count, url)]
