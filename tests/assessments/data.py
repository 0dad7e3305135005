"""Rows of the domains the assessment reads, made directly with the models (campaigns and letters are other
branches' work in progress), for the period 2025 of 九江's counties: 濂溪 (360402) and 修水 (360424)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from anquan.assessments.rules import SCHEME
from anquan.campaigns.models import Campaign, Task
from anquan.hazards.models import Hazard
from anquan.letters.choices import LetterKind, LetterStatus
from anquan.letters.models import Letter
from anquan.regions.models import Region
from anquan.rules.models import RuleVersion

D = dt.date
START, END = D(2025, 1, 1), D(2025, 12, 31)

# a small scheme whose points are easy to work out by hand
SMALL = {
    "name": "测试评分标准",
    "criteria": [
        {
            "key": "tasks",
            "name": "攻坚任务按期完成",
            "max_points": "10",
            "metric": "tasks_on_time",
            "rule": "linear",
            "floor": "0",
            "target": "100",
        },
        {
            "key": "letters",
            "name": "提示函按期回复",
            "max_points": "10",
            "metric": "letters_on_time",
            "rule": "linear",
            "floor": "0",
            "target": "100",
        },
        {
            "key": "major_overdue",
            "name": "重大隐患逾期",
            "max_points": "10",
            "metric": "major_overdue",
            "rule": "deduct",
            "per_unit": "5",
        },
        {
            "key": "alarms",
            "name": "监测预警处置",
            "max_points": "5",
            "metric": "alarm_disposal",
            "rule": "linear",
            "floor": "80",
            "target": "100",
        },
        {"key": "work", "name": "日常工作考评", "max_points": "5", "metric": "", "rule": "manual"},
    ],
    "tie_break": ["tasks", "letters"],
    "red_count": 1,
    "yellow_count": 1,
}


def small_scheme() -> RuleVersion:
    return RuleVersion.objects.create(
        key=SCHEME,
        region_code="360000",
        effective_from=D(2024, 1, 1),
        values=SMALL,
        source="测试",
        verified="not_found",
    )


def regions() -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(code__in=["360400", "360402", "360424", "360403"])}


def campaign(city: Region) -> Campaign:
    return Campaign.objects.create(
        region=city, name="安全生产治本攻坚三年行动", starts_on=D(2024, 1, 1), ends_on=D(2026, 12, 31)
    )


def task(
    camp: Campaign,
    region: Region,
    deadline: dt.date,
    done_on: dt.date | None,
    parent: Task | None = None,
    status: str | None = None,
    **extra: Any,
) -> Task:
    status = status or ("verified_done" if done_on else "in_progress")
    extra.setdefault("created_at", timezone.make_aware(dt.datetime(2025, 1, 2, 9)))
    return Task.objects.create(
        campaign=camp,
        parent=parent,
        number="1",
        title="重大事故隐患专项排查整治",
        region=region,
        deadline=deadline,
        done_on=done_on,
        status=status,
        **extra,
    )


def letter(
    city: Region, to: Region, due: dt.date, replied_on: dt.date | None, status: str = "replied"
) -> Letter:
    return Letter.objects.create(
        kind=LetterKind.REMINDER,
        issuer_region=city,
        recipient_region=to,
        subject="关于加快重大事故隐患整改的提示",
        body="……",
        required_actions="书面回复",
        reply_due=due,
        replied_on=replied_on,
        status=status if replied_on else LetterStatus.OVERDUE,
    )


def hazard(
    enterprise: Any, level: str, deadline: dt.date, accepted: dt.date | None, status: str = "closed"
) -> Hazard:
    at = None
    if accepted is not None:
        at = timezone.make_aware(dt.datetime.combine(accepted, dt.time(15)))
    return Hazard.objects.create(
        enterprise=enterprise,
        region=enterprise.region,
        industry=enterprise.industry,
        source="self_check",
        description="测试隐患",
        found_at=timezone.make_aware(dt.datetime(2025, 1, 5, 9)),
        status=status if accepted else "rectifying",
        level=level,
        deadline=deadline,
        accepted_at=at,
        closed_at=at,
        region_code=enterprise.region_code,
        supervising_department=enterprise.supervising_department,
    )


def seed_tie(world: Any) -> dict[str, Any]:
    """濂溪: tasks 2/2 on time (10), letters 0/1 (0), no major overdue (10) → 20.
    修水: tasks 0/1 (0), letters 2/2 (10), no major overdue (10) → 20. Tied: 濂溪 first by `tasks`.
    Every other county: no tasks or letters (暂无数据, 0), no major overdue (10) → 10, tied, listed by code."""
    r = regions()
    city, lianxi, xiushui = r["360400"], r["360402"], r["360424"]
    camp = campaign(city)
    line = task(camp, city, D(2025, 6, 30), None, status="in_progress")
    task(camp, lianxi, D(2025, 6, 30), D(2025, 6, 20), parent=line)
    task(camp, lianxi, D(2025, 9, 30), D(2025, 9, 30), parent=line)  # on the deadline day: on time
    task(camp, xiushui, D(2025, 6, 30), D(2025, 7, 3), parent=line)  # three days late
    task(camp, xiushui, D(2026, 3, 31), None, parent=line)  # due after the period: not counted
    letter(city, lianxi, D(2025, 5, 10), D(2025, 5, 12))  # late
    letter(city, xiushui, D(2025, 5, 10), D(2025, 5, 9))
    letter(city, xiushui, D(2025, 8, 10), D(2025, 8, 10))
    return {"campaign": camp, "line": line, **r}
