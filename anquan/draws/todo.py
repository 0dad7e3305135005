"""What waits for a user among the random draws (the to-do centre, anquan/core/todo.py): the unit's managers the
drafts to draw and the drawn ones to publish; inspectors the picks they were drawn for whose result is missing."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem

from .choices import DrawStatus
from .models import DrawPick, RandomDraw


def items(user: Any) -> list[TodoItem]:
    url = reverse("draws:list")
    found: list[TodoItem] = []
    if has_perm(user, Perm.DRAW_MANAGE):
        draws = restrict(RandomDraw, user)
        for kind, label, status in (
            ("draw", "待抽取的双随机抽查", DrawStatus.DRAFT),
            ("publish", "待公示的双随机抽查", DrawStatus.DRAWN),
        ):
            found.append(
                TodoItem(
                    f"draws.{kind}", label, draws.filter(status=status).count(), f"{url}?status={status}"
                )
            )
    if getattr(user, "role", None) == Role.INSPECTOR:
        pending = DrawPick.objects.filter(
            assignments__inspector=user, draw__status=DrawStatus.PUBLISHED, result=""
        ).count()
        found.append(
            TodoItem("draws.result", "待录入结果的抽查企业", pending, f"{url}?status={DrawStatus.PUBLISHED}")
        )
    return found
