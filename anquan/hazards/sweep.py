"""The periodic deadline sweep: reminders 3 working days before and on the deadline, overdue marks,
and escalation of overdue major hazards to the level above; once a day, the removal of orphaned uploads.
Safe to run as often as wanted: every notification carries a key, so a repeated run sends nothing twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.accounts.roles import Role
from anquan.core import orphans
from anquan.core.notify import notify
from anquan.core.workdays import working_days_until
from anquan.regions.choices import RegionLevel

from .actions import record_event
from .choices import OPEN_STATUSES, Action, Level, Status
from .models import Hazard, Listing
from .notifications import enterprise_users

REMIND_WORKING_DAYS = 3


@dataclass
class SweepResult:
    reminded: list[int] = field(default_factory=list)
    due_today: list[int] = field(default_factory=list)
    marked_overdue: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    progress_due: list[int] = field(default_factory=list)
    check_tasks: object = None  # anquan.risk.tasks.TaskRun: control tasks made and marked missed
    reassessment: list[int] = field(default_factory=list)  # risk points whose re-assessment is due
    uploads: object = None  # anquan.core.orphans.CleanupResult, None when already cleaned today


def _responsible(hazard: Hazard) -> list:
    return list(enterprise_users(hazard)) + [hazard.responsible_user]


def _level_above(hazard: Hazard):
    """The government level above the one that supervises the hazard's place (county → city, city → province)."""
    chain = hazard.region.ancestors() + [hazard.region]
    county = next((r for r in chain if r.level == RegionLevel.COUNTY), None)
    if county is None:
        return chain[0]
    return county.parent


def sweep(now: dt.datetime | None = None) -> SweepResult:
    """The record-keeping jobs in one transaction, then, once a local day, the removal of orphaned uploads
    outside it: a removed file cannot be rolled back, so the audit entries saying so must not be either."""
    now = now or timezone.now()
    result = _records(now)
    result.uploads = orphans.daily(now)
    return result


@transaction.atomic
def _records(now: dt.datetime) -> SweepResult:
    today = timezone.localtime(now).date()
    result = SweepResult()
    open_with_deadline = Hazard.objects.filter(
        status=Status.RECTIFYING, deadline__isnull=False
    ).select_related("region", "enterprise", "responsible_user", "supervising_department")
    for hazard in open_with_deadline.iterator():
        url = reverse("hazards:detail", args=[hazard.pk])
        title = f"隐患#{hazard.pk}（{hazard.place}）"
        if working_days_until(today, hazard.deadline) == REMIND_WORKING_DAYS:
            if notify(
                _responsible(hazard),
                f"{title}距整改期限还有3个工作日（{hazard.deadline:%m月%d日}）",
                url=url,
                key=f"hazard:{hazard.pk}:remind:{hazard.deadline}",
            ):
                result.reminded.append(hazard.pk)
        if hazard.deadline == today:
            if notify(
                _responsible(hazard),
                f"{title}今天是整改期限",
                url=url,
                key=f"hazard:{hazard.pk}:due:{hazard.deadline}",
            ):
                result.due_today.append(hazard.pk)
        if hazard.deadline < today and not hazard.overdue:
            Hazard.objects.filter(pk=hazard.pk).update(overdue=True, updated_at=now)
            record_event(
                hazard, Action.MARK_OVERDUE, now=now, comment=f"整改期限{hazard.deadline:%Y-%m-%d}已过"
            )
            notify(
                _responsible(hazard),
                f"{title}已超过整改期限",
                url=url,
                key=f"hazard:{hazard.pk}:overdue:{hazard.deadline}",
            )
            result.marked_overdue.append(hazard.pk)
        if hazard.deadline < today and hazard.level == Level.MAJOR and hazard.escalated_at is None:
            above = _level_above(hazard)
            officials = User.objects.filter(is_active=True, region=above).filter(
                role__in=[Role.CITY_OFFICE, Role.PROVINCE_OFFICE, Role.DEPARTMENT_SUPERVISOR]
            )
            officials = [u for u in officials if u.department_id in (None, hazard.supervising_department_id)]
            notify(
                officials,
                f"重大事故隐患逾期未整改：{title}",
                url=url,
                body=f"整改期限{hazard.deadline:%Y-%m-%d}，监管部门：{hazard.supervising_department or '未明确'}",
                key=f"hazard:{hazard.pk}:escalate",
            )
            Hazard.objects.filter(pk=hazard.pk).update(escalated_at=now)
            record_event(
                hazard,
                Action.ESCALATE,
                now=now,
                comment=f"逾期重大事故隐患已报{above.name}",
                data={"to_region": above.code},
            )
            result.escalated.append(hazard.pk)
    _progress_reports_due(today, result)
    from anquan.risk.tasks import run as run_check_tasks

    result.check_tasks = run_check_tasks(now)
    from anquan.risk.reassessment import remind as remind_reassessment

    result.reassessment = remind_reassessment(now)
    return result


def _progress_reports_due(today: dt.date, result: SweepResult) -> None:
    """A listed hazard owes a progress report every `report_every_days`; remind the enterprise when one is due."""
    listings = (
        Listing.objects.filter(delisted_at__isnull=True, hazard__status__in=OPEN_STATUSES)
        .select_related("hazard__enterprise", "hazard__responsible_user")
        .prefetch_related("reports")
    )
    for item in listings:
        last = max([r.reported_at for r in item.reports.all()] + [item.listed_at])
        due = timezone.localtime(last).date() + dt.timedelta(days=item.report_every_days)
        if due <= today:
            hazard = item.hazard
            sent = notify(
                _responsible(hazard),
                f"挂牌督办隐患#{hazard.pk}（{hazard.place}）应报送整改进展（{due:%m月%d日}前）",
                url=reverse("hazards:detail", args=[hazard.pk]),
                key=f"hazard:{hazard.pk}:progress:{due}",
            )
            if sent:
                result.progress_due.append(hazard.pk)
