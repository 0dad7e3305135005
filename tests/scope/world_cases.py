"""E's enforcement case and what hangs off it, for the scope matrix: a case stays with the unit that opened it
(濂溪区应急管理局) where E was at 立案, so every record here `stays` when E moves (ADR 0007)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def add_cases(world, now) -> None:
    from anquan.cases.models import (
        CaseEvent,
        CaseExtension,
        CasePayment,
        CreditListing,
        EnforcementCase,
        Referral,
    )
    from anquan.rules.models import RuleVersion

    e, inspector = world.enterprise, world.users["inspector_a"]
    case = EnforcementCase.objects.create(
        enterprise=e,
        department=world.departments["应急管理局"],
        unit_region=world.regions["county_a"],
        region_code=e.region_code,
        year=now.year,
        serial=1,
        source="inspection",
        facts="案件标记违法事实CS",
        fine_total_yuan=Decimal("20000"),
        applied_by=inspector,
        applied_on=now.date(),
    )
    case.investigators.set([inspector])
    world.add(case, "案件标记违法事实CS", stays=True)
    world.add(
        CaseEvent.objects.create(
            case=case, action="apply", actor_label="x", at=now, comment="案件事件标记CE"
        ),
        "案件事件标记CE",
        stays=True,
    )
    world.add(
        CaseExtension.objects.create(
            case=case, days=9, level="head", reason="延期标记CX", approved_by=inspector
        ),
        "延期标记CX",
        stays=True,
    )
    world.add(
        CasePayment.objects.create(
            case=case, paid_on=now.date(), amount_yuan=Decimal("12345.67"), recorded_by=inspector
        ),
        "12345.67",
        stays=True,
    )
    world.add(
        Referral.objects.create(
            case=case, suspected_crime="移送标记RF", reason="x", proposed_at=now - dt.timedelta(hours=1)
        ),
        "移送标记RF",
        stays=True,
    )
    version = RuleVersion.objects.filter(key="enforcement.credit_list").first()
    world.add(
        CreditListing.objects.create(
            case=case,
            condition="concealed",
            reason="名单标记CL",
            rules_version=version,
            listed_on=now.date(),
            ends_on=now.date() + dt.timedelta(days=1095),
            removable_from=now.date() + dt.timedelta(days=365),
            listed_by=inspector,
        ),
        "名单标记CL",
        stays=True,
    )
