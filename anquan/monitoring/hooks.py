"""What monitoring registers in the layers below it (docs/adr/0014-layers-and-hooks.md): the records that move with
an enterprise — all its monitoring points, and its alarms still open (closed ones stay where they were handled,
ADR 0007)."""

from typing import Any

from django.db.models import QuerySet

from anquan.enterprises import moves
from anquan.enterprises.models import Enterprise

from .choices import OPEN_ALARM_STATUSES
from .models import Alarm, MonitoringPoint


def current_records(enterprise: Enterprise) -> list[tuple[QuerySet[Any], bool]]:
    return [
        (MonitoringPoint.objects.filter(enterprise=enterprise), False),
        (Alarm.objects.filter(enterprise=enterprise, status__in=OPEN_ALARM_STATUSES), False),
    ]


def register() -> None:
    moves.current_records.register(current_records)
