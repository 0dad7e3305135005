"""Re-assessment of risk points when their due date comes (the `next_due` of the latest assessment,
kept on RiskPoint.next_assessment_due).

`filter_due` narrows a list of points to those due soon or overdue; `remind` (run by `anquan sweep`)
tells the enterprise's users once when a point is due within REMIND_DAYS and once more when it is
overdue — per point and due date, so a sweep every few minutes sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core.choices import NotificationKind
from anquan.core.notify import notify

from .models import RiskPoint

REMIND_DAYS = 7
DUE_FILTERS = ("overdue", "soon")  # "soon": overdue or due within REMIND_DAYS


def filter_due(qs: QuerySet[RiskPoint], due: str, today: dt.date) -> QuerySet[RiskPoint]:
    if due == "overdue":
        return qs.filter(next_assessment_due__lt=today)
    if due == "soon":
        return qs.filter(next_assessment_due__lte=today + dt.timedelta(days=REMIND_DAYS))
    return qs.none()


def state(point: RiskPoint, today: dt.date) -> str:
    """ "overdue", "soon" or "" for a page to mark the due date."""
    return due_state(point.next_assessment_due, today)


def due_state(due: dt.date | None, today: dt.date) -> str:
    """ "overdue", "soon" or "" for a next assessment due on `due`."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    return "soon" if due <= today + dt.timedelta(days=REMIND_DAYS) else ""


def remind(now: dt.datetime | None = None) -> list[int]:
    """Notify the enterprises' users of points due soon or overdue; returns the points notified about."""
    today = timezone.localdate(now or timezone.now())
    points = (
        RiskPoint.objects.filter(next_assessment_due__lte=today + dt.timedelta(days=REMIND_DAYS))
        .select_related("enterprise")
        .order_by("next_assessment_due")
    )
    by_enterprise: dict[int, list[RiskPoint]] = defaultdict(list)
    for point in points:
        by_enterprise[point.enterprise_id].append(point)
    users = defaultdict(list)
    for user in User.objects.filter(enterprise_id__in=by_enterprise, is_active=True):
        users[user.enterprise_id].append(user)
    notified = []
    for enterprise_id, due_points in by_enterprise.items():
        for point in due_points:
            assert point.next_assessment_due is not None  # filtered on next_assessment_due__lte
            overdue = point.next_assessment_due < today
            title = (
                f"风险点“{point.name}”已超过复评日期（{point.next_assessment_due:%Y-%m-%d}）"
                if overdue
                else f"风险点“{point.name}”应于{point.next_assessment_due:%Y-%m-%d}前重新评价"
            )
            key = f"risk-reassess:{point.pk}:{point.next_assessment_due:%Y%m%d}:{'overdue' if overdue else 'soon'}"
            url = reverse("riskpoints:point", args=[point.pk])
            if notify(users[enterprise_id], title, url=url, key=key, kind=NotificationKind.RISK_REASSESS):
                notified.append(point.pk)
    return notified
