"""What waits for a user among the random draws (the to-do centre, anquan/core/todo.py): the unit's managers the
drafts to draw and the drawn ones to publish; inspectors the picks they were drawn for that wait to be inspected or for their result (on their task cards)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
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
        counts = DrawPick.objects.filter(assignments__inspector=user, result="").aggregate(  # one query
            start=Count(
                "id",
                filter=Q(draw__status__in=(DrawStatus.DRAWN, DrawStatus.PUBLISHED), inspection__isnull=True),
            ),
            result=Count("id", filter=Q(draw__status=DrawStatus.PUBLISHED)),
        )
        tasks = reverse("draws:tasks")
        if counts["start"]:
            found.append(TodoItem("draws.start", "待开始检查的抽查企业", counts["start"], tasks))
        found.append(TodoItem("draws.result", "待录入结果的抽查企业", counts["result"], tasks))
    return found
