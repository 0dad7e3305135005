"""Seeded targeting data on the shared world (tests/conftest.py), worked by hand in test_targeting.py:

| enterprise | data | points (rule defaults) | score | band |
|---|---|---|---|---|
| chem_t1 (应急, t1) | 重大风险; 2 overdue major, 1 open major, 1 overdue general hazard; 3 missed checks in 90 days (+1 older); 1 ordinary accident last year; 1 major hazard installation | 40 + 2×15 + 10 + 4 + 3×1 + 15 + 8 | 110 | key, 4 a year |
| chem_t2 (应急, t2) | 较大风险; 1 larger accident this year | 25 + 30 | 55 | watch, 2 |
| build_t1 (住建, t1) | 一般风险 | 10 | 10 | general, 1 |
| chem_xiushui | nothing | 0 | 0 | random |
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anquan.accidents.models import Accident, AccidentCategory
from anquan.checks.models import CheckSchedule, CheckTask
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints.models import RiskPoint


def _place(e):
    return {"region_code": e.region_code, "supervising_department": e.supervising_department}


def seed(world, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    now = timezone.now()
    e1, e2, b1 = world.chem_t1, world.chem_t2, world.build_t1
    Enterprise.objects.filter(pk=e1.pk).update(risk_level="red")
    Enterprise.objects.filter(pk=e2.pk).update(risk_level="orange")
    Enterprise.objects.filter(pk=b1.pk).update(risk_level="yellow")

    def hazard(level, overdue, status="rectifying"):
        Hazard.objects.create(
            enterprise=e1,
            region=e1.region,
            industry=e1.industry,
            source="self_check",
            description="测试隐患",
            found_at=now,
            status=status,
            level=level,
            overdue=overdue,
            **_place(e1),
        )

    hazard("major", True)
    hazard("major", True)
    hazard("major", False)
    hazard("general", True)
    hazard("major", True, status="closed")  # closed: not counted
    point = RiskPoint.objects.create(enterprise=e1, name="储罐区", kind="installation", **_place(e1))
    schedule = CheckSchedule.objects.create(point=point, frequency="day", post="班长", content="巡检")
    for days in (1, 10, 80, 120):  # the last one is older than 90 days
        end = now - dt.timedelta(days=days)
        CheckTask.objects.create(
            schedule=schedule,
            point=point,
            enterprise=e1,
            period_start=end - dt.timedelta(days=1),
            period_end=end,
            status="missed",
            missed_at=end,
            **_place(e1),
        )
    category = AccidentCategory.objects.order_by("id").first()

    def accident(e, when, grade):
        Accident.objects.create(
            occurred_at=when,
            region=e.region,
            address="厂区",
            enterprise=e,
            industry=e.industry,
            supervising_department=e.supervising_department,
            category=category,
            grade=grade,
            summary="测试事故",
            direct_loss_yuan=Decimal("0"),
            region_code=e.region_code,
        )

    accident(e1, timezone.make_aware(dt.datetime(today.year - 1, 6, 1, 9)), "ordinary")
    accident(e2, timezone.make_aware(dt.datetime(today.year, 1, 2, 9)), "larger")
    accident(e2, timezone.make_aware(dt.datetime(today.year - 4, 1, 2, 9)), "major")  # too old: not counted
    MajorHazardInstallation.objects.create(
        enterprise=e1,
        name="液氯储罐区",
        unit_type="storage",
        s=Decimal("2"),
        is_major=True,
        grade=2,
        **_place(e1),
    )
    MajorHazardInstallation.objects.create(  # not a major hazard: not counted
        enterprise=e1, name="仓库", unit_type="storage", s=Decimal("0.2"), **_place(e1)
    )


@pytest.fixture
def seeded(world):
    seed(world)
    return world
