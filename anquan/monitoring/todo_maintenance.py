"""What waits in the to-do centre (anquan/core/todo.py) among maintenance windows: the requests the county office
or the supervising department must approve or reject. One aggregate query."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from anquan.core.todo import NOTHING, TodoItem, counted

from . import maintenance


def items(user: Any) -> list[TodoItem]:
    condition = maintenance.pending_for(user)
    if condition == NOTHING:
        return []
    url = reverse("monitoring:maintenance") + "?status=requested"
    return counted(
        maintenance.windows(user), "monitoring", {"maintenance": ("待审批的监测维护申请", condition, url)}
    )
