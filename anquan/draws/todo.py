"""What waits for a user among the random draws (the to-do centre, anquan/core/todo.py): the unit's managers the
drafts to draw and the drawn ones to publish; inspectors the picks they were drawn for that wait to be inspected
or for their result (on their task cards). One query for either."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import TodoItem, counted

from .choices import DrawStatus
from .models import RandomDraw
from .tasks import drawn_for


def items(user: Any) -> list[TodoItem]:
    found: list[TodoItem] = []
    if has_perm(user, Perm.DRAW_MANAGE):
        url = reverse("draws:list")
        found += counted(
            restrict(RandomDraw, user),
            "draws",
            {
                "draw": (
                    "待抽取的双随机抽查",
                    Q(status=DrawStatus.DRAFT),
                    f"{url}?status={DrawStatus.DRAFT}",
                ),
                "publish": (
                    "待公示的双随机抽查",
                    Q(status=DrawStatus.DRAWN),
                    f"{url}?status={DrawStatus.DRAWN}",
                ),
            },
        )
    if getattr(user, "role", None) == Role.INSPECTOR:
        tasks = reverse("draws:tasks")
        startable = Q(draw__status__in=(DrawStatus.DRAWN, DrawStatus.PUBLISHED), inspection__isnull=True)
        found += counted(
            drawn_for(user).filter(result=""),
            "draws",
            {
                "start": ("待开始检查的抽查企业", startable, tasks),
                "result": ("待录入结果的抽查企业", Q(draw__status=DrawStatus.PUBLISHED), tasks),
            },
        )
    return found
