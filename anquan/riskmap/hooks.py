"""What the risk apps (risk points, major hazard installations, check tasks, risk reports) register in the layers
below them (docs/adr/0014-layers-and-hooks.md): the records that move with an enterprise, and the risk panel of its
page. Registered here, by the highest of them, which sees them all."""

from typing import Any

from django.db.models import QuerySet

from anquan.accounts.models import User
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.enterprises import moves
from anquan.enterprises import views as enterprise_views
from anquan.enterprises.models import Enterprise
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints.models import RiskPoint, SitePlan
from anquan.riskreports.choices import ReportStatus
from anquan.riskreports.models import RiskReport

from .overview import enterprise_summary


def current_records(enterprise: Enterprise) -> list[tuple[QuerySet[Any], bool]]:
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


def detail_panel(user: User, enterprise: Enterprise) -> dict[str, Any]:
    return {"risk": enterprise_summary(user, enterprise)}


def register() -> None:
    moves.current_records.register(current_records)
    enterprise_views.detail_panels.register(detail_panel)
