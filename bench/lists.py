"""Adds accidents and risk points (with two or three control measures each) to a database filled by
bench/generate.py, for bench/export.py --list accidents / risk-points (issue #18):

    DATABASE_URL=... .venv/bin/python bench/lists.py --accidents 50000 --risk-points 200000

Accidents are spread over the scale's enterprises and a year; a fifth of them have no enterprise (an address
only). Risk points: an even share per enterprise, levels red/orange/yellow/blue/unassessed, a due date within
a year. Bulk inserts, no audit entries (benchmark data, like generate.py's enterprises)."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from common import setup_django

setup_django()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

CHUNK = 5000
PLACES = ("储罐区", "配电室", "装卸站台", "锅炉房", "仓库", "生产车间", "有限空间", "危化品库")
PEOPLE = ("张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强")


def add_accidents(count: int, rng: random.Random) -> None:
    from anquan.accidents.grading import grade
    from anquan.accidents.models import Accident, AccidentCategory
    from anquan.enterprises.models import Enterprise

    enterprises = list(Enterprise.objects.values_list("id", "region_id", "region_code", "industry_id"))
    categories = list(AccidentCategory.objects.filter(edition="2025").values_list("id", flat=True))
    start = timezone.now() - dt.timedelta(days=365)
    made = 0
    while made < count:
        batch = []
        for _ in range(min(CHUNK, count - made)):
            pk, region, code, industry = rng.choice(enterprises)
            deaths = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
            batch.append(
                Accident(
                    occurred_at=start + dt.timedelta(minutes=rng.randrange(365 * 24 * 60)),
                    region_id=region,
                    region_code=code,
                    address=f"{rng.choice(PLACES)}附近",
                    enterprise_id=None if rng.random() < 0.2 else pk,
                    industry_id=industry,
                    category_id=rng.choice(categories),
                    deaths=deaths,
                    serious_injuries=rng.randrange(3),
                    minor_injuries=rng.randrange(5),
                    direct_loss_yuan=rng.randrange(1_000_000_00) / 100,
                    grade=grade(deaths, 0, 0).grade,
                    summary="作业过程中发生事故，现场已处置",
                )
            )
        Accident.objects.bulk_create(batch)
        made += len(batch)


def add_risk_points(count: int, rng: random.Random) -> None:
    from anquan.enterprises.models import Enterprise
    from anquan.riskpoints.models import ControlMeasure, RiskPoint

    enterprises = list(Enterprise.objects.values_list("id", "region_code", "supervising_department_id"))
    today = timezone.localdate()
    made = 0
    while made < count:
        points = []
        for i in range(min(CHUNK, count - made)):
            pk, code, department = enterprises[(made + i) % len(enterprises)]
            points.append(
                RiskPoint(
                    enterprise_id=pk,
                    region_code=code,
                    supervising_department_id=department,
                    name=f"{rng.choice(PLACES)}{made + i}",
                    kind=rng.choice(("place", "installation", "activity")),
                    location="厂区东侧",
                    factor_kinds=rng.sample(["human", "object", "environment", "management"], 2),
                    responsible_person=rng.choice(PEOPLE),
                    current_level=rng.choice(("red", "orange", "yellow", "blue", "")),
                    next_assessment_due=today + dt.timedelta(days=rng.randrange(-30, 365)),
                )
            )
        RiskPoint.objects.bulk_create(points)
        ControlMeasure.objects.bulk_create(
            ControlMeasure(
                point=point,
                kind="engineering",
                tier=tier,
                description="定期检查",
                responsible_person=rng.choice(PEOPLE),
            )
            for point in points
            for tier in ("company", "workshop", "team")[: rng.randrange(2, 4)]
        )
        made += len(points)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accidents", type=int, default=50_000)
    parser.add_argument("--risk-points", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261203)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with transaction.atomic():
        add_accidents(args.accidents, rng)
        add_risk_points(args.risk_points, rng)
    print(f"{args.accidents} accidents, {args.risk_points} risk points in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
