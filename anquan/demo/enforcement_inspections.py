"""Demo inspections (issue #13 item 4): two inspections planned for the demo inspector (login `inspector`) with
the 濂溪区 应急管理局 supervisor as the second inspector: one today at 江西化工集团九江有限公司, one in three
days at another hazardous-chemicals enterprise of 濂溪区, each with the seeded 危险化学品 checklist."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.enterprises.models import Enterprise
from anquan.inspections import services as inspections


def build_inspections() -> None:
    inspector = User.objects.get(username="inspector")
    today = timezone.localdate()
    first = Enterprise.objects.get(name="江西化工集团九江有限公司")
    other = (
        Enterprise.objects.filter(
            region_code__startswith="360402",
            industry__code="hazardous_chemicals",
            supervising_department=first.supervising_department,
        )
        .exclude(pk=first.pk)
        .order_by("pk")
        .first()
    )
    for enterprise, day, kind in ((first, today, "random"), (other, today + dt.timedelta(days=3), "plan")):
        if enterprise is None:
            continue
        inspections.create(
            {
                "enterprise": enterprise.uscc,
                "kind": kind,
                "planned_on": day.isoformat(),
                "inspectors": ["inspector", "lianxi_yjj"],
                "note": "演示数据",
            },
            actor=inspector,
        )
