"""What waits for a user among the alarms (the to-do centre, anquan/core/todo.py): for the enterprise's managers
the alarms to acknowledge, to dispose of and to close; for an office or department the escalated alarms still
waiting for acknowledgement that were escalated to its own region. One aggregate query."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse

from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import restrict
from anquan.core.todo import NOTHING, TodoItem, counted

from .choices import AlarmStatus
from .models import Alarm


def items(user: Any) -> list[TodoItem]:
    if not has_perm(user, Perm.ALARM_HANDLE):
        return []
    url = reverse("monitoring:alarms")
    mine = user.role == Role.ENTERPRISE_MANAGER
    region = getattr(user.region, "code", "") if user.region_id else ""
    return counted(
        restrict(Alarm, user),
        "monitoring",
        {
            "acknowledge": (
                "待确认的监测报警",
                Q(status=AlarmStatus.RAISED) if mine else NOTHING,
                f"{url}?status={AlarmStatus.RAISED}",
            ),
            "dispose": (
                "待处置的监测报警",
                Q(status=AlarmStatus.ACKNOWLEDGED) if mine else NOTHING,
                f"{url}?status={AlarmStatus.ACKNOWLEDGED}",
            ),
            "close": (
                "待关闭的监测报警",
                Q(status__in=(AlarmStatus.DISPOSING, AlarmStatus.RECOVERED)) if mine else NOTHING,
                f"{url}?status={AlarmStatus.DISPOSING}",
            ),
            "escalated": (
                "上报至本级待确认的监测报警",
                Q(status=AlarmStatus.RAISED, escalated_to=region) if region and not mine else NOTHING,
                f"{url}?status={AlarmStatus.RAISED}&escalated=1",
            ),
        },
    )
