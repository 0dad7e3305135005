"""Demo data of assessments (issue #15): 九江市安委办's assessment of its counties for the last full year of the demo
(2025), the 日常工作考评 points of three counties with their reasons, computed from the demo's data and published —
so the ranking, each county's breakdown, the evaluation document and the red and yellow flags can be seen. Run after
the other demo data (hazards, accidents, risk reports, grids and, once merged, campaigns and letters): the scores
read them."""

from __future__ import annotations

import datetime as dt

from anquan.accounts.models import User
from anquan.assessments import services
from anquan.assessments.models import Assessment

YEAR = 2025
WORK_POINTS = {  # county code → (points of 10, reason)
    "360402": ("9", "年度安全生产工作要点全部落实，专项整治推进有力"),
    "360424": ("8", "汛期防范和地质灾害隐患排查工作扎实"),
    "360403": ("6", "部分重点任务推进滞后，经督办后整改"),
}


def build_assessments() -> Assessment | None:
    office = User.objects.filter(username="jiujiang").first()
    if office is None or Assessment.objects.filter(region_code=office.region_code).exists():
        return None
    assessment = services.create(
        office,
        {"period_start": dt.date(YEAR, 1, 1).isoformat(), "period_end": dt.date(YEAR, 12, 31).isoformat()},
    )
    for code, (points, reason) in WORK_POINTS.items():
        services.enter_manual(
            assessment,
            {"criterion": "work", "subject": code, "points": points, "reason": reason},
            [],
            actor=office,
        )
    assessment = services.compute(assessment, actor=office)
    return services.publish(assessment, actor=office)
