"""Campaign progress (the dashboard, `/api/v1/stats/campaigns`, the bulletins' campaign section).

The rule: **completion rate = lines verified done / lines of the task list × 100**, one decimal, half up
(227 of 239 → "95.0"). A line is one task of the list (`parent` empty); it is verified done when every one of
its sub-tasks is (workflow.py's roll-up). A user who sees no line of the campaign (a county sees only its own
sub-tasks of a city's campaign) is shown the same figures over its own sub-tasks.
By battle: the same per battle. By unit: the sub-tasks per responsible unit (`unit_label`): total, verified
done, overdue. Overdue: the tasks (lines and sub-tasks) in the user's scope now overdue. Trend: tasks (the
counted ones) verified per month, by `verified_on`."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from anquan.core.scope import restrict

from .choices import TaskStatus
from .models import Campaign, Task

DONE = Q(status=TaskStatus.VERIFIED_DONE)
OVERDUE = Q(status=TaskStatus.OVERDUE)


def rate(done: int, total: int) -> str:
    """ "95.0" for 227 of 239; "0.0" when there is nothing to count."""
    if not total:
        return "0.0"
    return str((Decimal(done) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def visible_campaigns(user: Any) -> QuerySet[Campaign]:
    """Campaigns of the user's area (and above it: seen by the office of the region and the areas above) and
    those in which the user has a task."""
    own = restrict(Campaign, user).values("pk")
    through_tasks = restrict(Task, user).values("campaign_id")
    return Campaign.objects.filter(Q(pk__in=own) | Q(pk__in=through_tasks)).select_related("region")


def campaign_for(user: Any, pk: int) -> Campaign:
    """A campaign the user sees (`visible_campaigns`), else 404."""
    found = visible_campaigns(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def counted(campaign: Campaign, user: Any) -> QuerySet[Task]:
    """The tasks the figures count for this user: the lines, or its own sub-tasks when it sees no line."""
    scoped = restrict(Task, user).filter(campaign=campaign)
    lines = scoped.filter(parent__isnull=True)
    return lines if lines.exists() else scoped


def progress(campaign: Campaign, user: Any) -> dict[str, Any]:
    """{total, verified_done, rate, sentence, by_battle, by_unit, overdue, trend} for the user."""
    tasks = counted(campaign, user)
    totals = tasks.aggregate(
        total=Count("id"), done=Count("id", filter=DONE), overdue=Count("id", filter=OVERDUE)
    )
    total, done = totals["total"], totals["done"]
    battles = []
    rows = tasks.values("battle_id", "battle__number", "battle__name", "battle__lead_text", "battle__order")
    for row in rows.annotate(
        total=Count("id"), done=Count("id", filter=DONE), overdue=Count("id", filter=OVERDUE)
    ).order_by("battle__order", "battle_id"):
        name = row["battle__name"] or "未分组"
        number = row["battle__number"] or ""
        battles.append(
            {
                "battle": row["battle_id"],
                "name": f"{number}、{name}" if number else name,
                "lead": row["battle__lead_text"] or "",
                "total": row["total"],
                "verified_done": row["done"],
                "overdue": row["overdue"],
                "rate": rate(row["done"], row["total"]),
            }
        )
    scoped = restrict(Task, user).filter(campaign=campaign)
    units = []
    subs = scoped.filter(parent__isnull=False)
    for row in (
        subs.values("unit_label")
        .annotate(total=Count("id"), done=Count("id", filter=DONE), overdue=Count("id", filter=OVERDUE))
        .order_by("-overdue", "unit_label")
    ):
        units.append(
            {
                "unit": row["unit_label"],
                "total": row["total"],
                "verified_done": row["done"],
                "overdue": row["overdue"],
                "rate": rate(row["done"], row["total"]),
            }
        )
    overdue = [
        {
            "id": t.pk,
            "number": t.number,
            "title": t.title,
            "unit": t.unit_label,
            "deadline": t.deadline,
            "line": t.parent_id,
        }
        for t in scoped.filter(OVERDUE).order_by("deadline", "order", "id")[:200]
    ]
    trend = [
        {"month": row["month"].strftime("%Y-%m"), "verified_done": row["n"]}
        for row in tasks.filter(DONE, verified_on__isnull=False)
        .annotate(month=TruncMonth("verified_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    ]
    return {
        "campaign": campaign.pk,
        "name": campaign.name,
        "total": total,
        "verified_done": done,
        "overdue_count": totals["overdue"],
        "rate": rate(done, total),
        "sentence": sentence(total, done),
        "by_battle": battles,
        "by_unit": units,
        "overdue": overdue,
        "trend": trend,
    }


def sentence(total: int, done: int) -> str:
    """239项任务，已完成227项，完成率95.0%"""
    return f"{total}项任务，已完成{done}项，完成率{rate(done, total)}%"


def month_label(month: dt.date) -> str:
    return f"{month.year}年{month.month}月"
