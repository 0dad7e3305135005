"""Demo data of yearly inspection plans and targeting (issue #13): a few enterprises of 濂溪区 whose records
make the top of the targeting list tell a story (an overdue major hazard, last year's accident, missed control
checks, a major hazard installation), then the draft 2026 plan of 濂溪区应急管理局 drafted by the demo inspector
with the reference's worked capacity (6 inspectors × 247 − 120 − 300 = 1062 days)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.models import AuditAction
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard
from anquan.inspectionplans import services as plans

COUNTY = "360402"
STORY = [  # (overdue major hazards, overdue general hazards, description)
    (2, 1, "液氯储罐区压力表超期未校验，紧急切断阀失效"),
    (1, 2, "反应釜温度联锁被摘除"),
    (1, 0, "有限空间作业无审批、无检测"),
]
GENERAL_TEXT = "重大危险源安全包保责任人未履职记录"
STORY_TEXTS = {text for _, _, text in STORY} | {GENERAL_TEXT}  # beside the `--hazards` the demo was asked for


def build_plans() -> None:
    now = timezone.now()
    chemicals = list(
        Enterprise.objects.filter(
            region_code__startswith=COUNTY,
            industry__code="hazardous_chemicals",
            supervising_department__name="应急管理局",
        ).order_by("-employee_count", "id")[: len(STORY)]
    )
    made = []
    for e, (major, general, text) in zip(chemicals, STORY, strict=False):
        for n in range(major + general):
            made.append(
                Hazard(
                    enterprise=e,
                    region=e.region,
                    region_code=e.region_code,
                    industry=e.industry,
                    supervising_department=e.supervising_department,
                    source="inspection",
                    level="major" if n < major else "general",
                    description=text if n < major else GENERAL_TEXT,
                    found_at=now - dt.timedelta(days=60),
                    status="rectifying",
                    deadline=(now - dt.timedelta(days=20)).date(),
                    overdue=True,
                )
            )
    Hazard.objects.bulk_create(made)
    audit.record_many(AuditAction.CREATE, made, actor="demo", comment="演示数据：超期隐患")
    inspector = User.objects.get(username="inspector")
    plans.create_plan(
        {
            "year": timezone.localdate().year,
            "inspectors": 6,
            "other_enforcement_days": 120,
            "non_enforcement_days": 300,
        },
        actor=inspector,
    )
