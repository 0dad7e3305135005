"""Automatic targets: figures a target reads from the system's own data (Target.source = automatic, `metric`).

Each metric is a named function of the responsible unit (a region code, and a department when the unit is one)
and a day; it answers the figure as a Decimal (None when there is nothing to measure) for the unit's region:
- `hazard_rectification_rate` 隐患整改率（%）: hazards found in the day's year up to the day, closed / found × 100,
  one decimal (anquan.hazards.stats.rectification_rate); a department's unit counts the hazards it supervises;
- `major_hazards_open` 重大隐患未整改（项）: major hazards still open on the day ("隐患清零" is planned 0);
- `risk_report_coverage` 风险报告覆盖率（%）: enterprises not closed that have a submitted or accepted risk report
  for the day's year / all enterprises not closed, one decimal;
- `certified_inspectors` 持证执法人员（人）: inspectors of the unit holding an enforcement certificate valid on the day.
A target shown with an automatic figure says "系统自动取数" and the day of the figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from anquan.accounts.models import EnforcementCertificate
from anquan.core.permissions import Role
from anquan.core.scope import within
from anquan.enterprises.choices import Status as EnterpriseStatus
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import OPEN_STATUSES, Level, Status
from anquan.hazards.models import Hazard
from anquan.hazards.stats import rectification_rate
from anquan.riskreports.choices import ReportStatus
from anquan.riskreports.models import RiskReport

from .models import Target, Task


def _local_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def hazard_rectification_rate(prefix: str, department_id: int | None, day: dt.date) -> Decimal | None:
    start = timezone.make_aware(dt.datetime(day.year, 1, 1))
    hazards = Hazard.objects.filter(
        within(prefix), found_at__gte=start, found_at__lt=_local_end(day)
    ).exclude(status__in=(Status.REJECTED, Status.CANCELLED))
    if department_id:
        hazards = hazards.filter(supervising_department_id=department_id)
    found = hazards.count()
    rate = rectification_rate(found, hazards.filter(status=Status.CLOSED).count())
    return None if rate is None else Decimal(str(rate))


def major_hazards_open(prefix: str, department_id: int | None, day: dt.date) -> Decimal | None:
    hazards = Hazard.objects.filter(within(prefix), level=Level.MAJOR, status__in=OPEN_STATUSES)
    if department_id:
        hazards = hazards.filter(supervising_department_id=department_id)
    return Decimal(hazards.count())


def risk_report_coverage(prefix: str, department_id: int | None, day: dt.date) -> Decimal | None:
    enterprises = Enterprise.objects.filter(within(prefix)).exclude(status=EnterpriseStatus.CLOSED)
    if department_id:
        enterprises = enterprises.filter(supervising_department_id=department_id)
    total = enterprises.count()
    if not total:
        return None
    reported = RiskReport.objects.filter(
        enterprise__in=enterprises, year=day.year, status__in=(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
    ).count()
    return Decimal(str(round(reported * 100 / total, 1)))


def certified_inspectors(prefix: str, department_id: int | None, day: dt.date) -> Decimal | None:
    certificates = EnforcementCertificate.objects.filter(
        within(prefix, "user__region_code"),
        user__role=Role.INSPECTOR,
        user__is_active=True,
        valid_from__lte=day,
        valid_until__gte=day,
    )
    if department_id:
        certificates = certificates.filter(user__department_id=department_id)
    return Decimal(certificates.values("user_id").distinct().count())


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # shown beside the target: 隐患整改率
    unit: str
    read: Callable[[str, int | None, dt.date], Decimal | None]


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("hazard_rectification_rate", "隐患整改率", "%", hazard_rectification_rate),
        Metric("major_hazards_open", "重大隐患未整改数", "项", major_hazards_open),
        Metric("risk_report_coverage", "风险报告覆盖率", "%", risk_report_coverage),
        Metric("certified_inspectors", "持证执法人员数", "人", certified_inspectors),
    )
}
AUTOMATIC_NOTE = "系统自动取数"


@dataclass(frozen=True)
class Reading:
    value: Decimal | None
    on: dt.date
    label: str


def unit_of(task: Task) -> tuple[str, int | None]:
    """The region prefix and department a task's figures are read for."""
    return task.region.prefix, task.department_id


def read(target: Target, day: dt.date | None = None) -> Reading | None:
    """The figure of an automatic target for its task's unit on `day` (today); None for a manual target."""
    metric = METRICS.get(target.metric) if target.source == "automatic" else None
    if metric is None:
        return None
    day = day or timezone.localdate()
    prefix, department_id = unit_of(target.task)
    return Reading(metric.read(prefix, department_id, day), day, metric.label)


def hit(target: Target, actual: Decimal | None) -> bool | None:
    """Whether `actual` meets the plan: at most the plan for a count planned 0 (清零), else at least the plan."""
    if actual is None:
        return None
    if target.metric == "major_hazards_open" or (target.planned == 0):
        return actual <= target.planned
    return actual >= target.planned
