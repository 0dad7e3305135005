"""Demo accidents for 九江市 in 2025 and 2026 (recorded through the real action, so grading, reporting
chains and events are as for accidents recorded by people)."""

import datetime as dt
import random

from django.utils import timezone

from anquan.accidents import actions
from anquan.accounts.models import User
from anquan.enterprises.models import Enterprise
from anquan.regions.models import Region

# (GB 6441-1986 code, GB 6441-2025 code, summary)
KINDS = [
    ("01", "WSA10001", "物料堆垛倒塌砸伤作业人员"),
    ("02", "WSA10002", "厂内叉车倒车撞伤行人"),
    ("03", "WSA10004", "设备检修未断电被机械卷入"),
    ("04", "WSA10005", "吊装作业吊物坠落"),
    ("05", "WSA10006", "临时用电线路漏电触电"),
    ("09", "WSA10010", "高处作业未系安全带坠落"),
    ("10", "WSA10012", "基坑边坡坍塌"),
    ("19", "WSA10023", "有限空间作业中毒"),
    ("08", "WSA10009", "仓库电气线路短路引发火灾"),
    ("20", "WSA10099", "其他伤害"),
]


def build_accidents(rng: random.Random, per_year: dict[int, int] | None = None) -> int:
    per_year = per_year or {2025: 128, 2026: 96}
    now = timezone.now()
    office = User.objects.get(username="jiujiang")
    enterprises = list(Enterprise.objects.filter(region_code__startswith="3604").order_by("id")[:600])
    towns = list(Region.objects.filter(level=4, code__startswith="3604"))
    made = 0
    for year, count in per_year.items():
        for _ in range(count):
            day = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            when = timezone.make_aware(
                dt.datetime(day.year, day.month, day.day, rng.randint(6, 21), rng.randint(0, 59))
            )
            if when > now - dt.timedelta(days=1):
                continue
            old, new, summary = rng.choice(KINDS)
            dead = rng.choices([0, 1, 2, 3], [30, 62, 6, 2])[0]
            raw = {
                "occurred_at": when,
                "category": new if day >= dt.date(2026, 7, 1) else old,
                "deaths": dead,
                "serious_injuries": rng.choices([0, 1, 2], [70, 25, 5])[0],
                "summary": summary,
                "direct_loss_yuan": rng.randint(2, 300) * 10000,
            }
            if rng.random() < 0.8:
                raw["enterprise"] = rng.choice(enterprises).uscc
            else:
                town = rng.choice(towns)
                raw.update(region=town.code, address=f"{town.full_name}某施工现场", industry="construction")
            recorded = when + dt.timedelta(minutes=30)
            accident = actions.report_accident(raw, actor=office, now=recorded)
            for step in accident.reports.all():
                late = rng.random() < 0.1
                reported = step.due_at + dt.timedelta(
                    minutes=rng.randint(10, 50) if late else -rng.randint(5, 25)
                )
                reported = max(reported, recorded)
                actions.report_up(
                    accident, actor=office, to_level=step.to_level, reported_at=reported, now=reported
                )
            made += 1
    return made
