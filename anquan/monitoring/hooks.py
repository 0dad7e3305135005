"""What monitoring registers in the layers below it (docs/adr/0014-layers-and-hooks.md): the records that move with
an enterprise — all its monitoring points, and its alarms still open (closed ones stay where they were handled,
ADR 0007)."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from anquan.core.scope import restrict
from anquan.enterprises import moves
from anquan.enterprises import views as enterprise_views
from anquan.enterprises.models import Enterprise
from anquan.majorhazards import views as installation_views
from anquan.majorhazards.models import MajorHazardInstallation

from . import points
from .choices import OPEN_ALARM_STATUSES, PointState
from .models import Alarm, Gateway, MonitoringPoint


def current_records(enterprise: Enterprise) -> list[tuple[QuerySet[Any], bool]]:
    return [
        (MonitoringPoint.objects.filter(enterprise=enterprise), False),
        (Alarm.objects.filter(enterprise=enterprise, status__in=OPEN_ALARM_STATUSES), False),
    ]


def enterprise_panel(user: Any, enterprise: Enterprise) -> dict[str, Any]:
    """The 监测预警 panel of the enterprise's page: its points in service by state, its valid gateways."""
    qs = points.visible(user).filter(enterprise=enterprise, retired_at__isnull=True)
    counts = qs.aggregate(
        total=Count("pk"),
        unset=Count("pk", filter=Q(device_id__startswith=points.PLACEHOLDER)),
        **{state: Count("pk", filter=Q(state=state)) for state in PointState.values},
    )
    if not counts["total"] and not points.can_configure(user, enterprise):
        return {"monitoring": None}
    gateways = restrict(Gateway, user).filter(enterprise=enterprise, revoked_at__isnull=True).count()
    return {
        "monitoring": {
            "points": counts["total"],
            "states": [
                (label, counts[state]) for state, label in PointState.choices if state != PointState.NORMAL
            ],
            "unset": counts["unset"],
            "gateways": gateways,
            "may_configure": points.can_configure(user, enterprise),
        }
    }


def installation_panel(user: Any, inst: MajorHazardInstallation) -> dict[str, Any]:
    """The points of the installation's page and the required kinds that have none in service."""
    coverage = points.coverage(inst)
    return {
        "monitoring_points": list(points.visible(user).filter(installation=inst, retired_at__isnull=True)),
        "monitoring_missing": [c for c in coverage if not c["points"]],
        "monitoring_may_configure": points.can_configure(user, inst.enterprise),
    }


def register() -> None:
    moves.current_records.register(current_records)
    enterprise_views.detail_panels.register(enterprise_panel)
    installation_views.detail_panels.register(installation_panel)
