"""What the risk app registers in the layers below it (docs/adr/0014-layers-and-hooks.md)."""

from anquan.enterprises import moves
from anquan.enterprises import views as enterprise_views

from .models import (
    CheckTask,
    MajorHazardInstallation,
    ReportStatus,
    RiskPoint,
    RiskReport,
    SitePlan,
    TaskStatus,
)
from .overview import enterprise_summary


def current_records(enterprise):
    """What moves with an enterprise: all its risk points, installations and site plans, its open check tasks and
    its risk reports not yet submitted (or returned for correction)."""
    return [
        (RiskPoint.objects.filter(enterprise=enterprise), False),
        (MajorHazardInstallation.objects.filter(enterprise=enterprise), False),
        (SitePlan.objects.filter(enterprise=enterprise), False),
        (CheckTask.objects.filter(enterprise=enterprise, status=TaskStatus.OPEN), False),
        (
            RiskReport.objects.filter(
                enterprise=enterprise, status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED]
            ),
            False,
        ),
    ]


def detail_panel(user, enterprise) -> dict:
    return {"risk": enterprise_summary(user, enterprise)}


def register() -> None:
    moves.current_records.register(current_records)
    enterprise_views.detail_panels.register(detail_panel)
