"""Shared set-up of the campaign tests: a city campaign of 九江市 with its committee."""

from __future__ import annotations

import datetime as dt

from anquan.campaigns import services
from anquan.campaigns.models import Campaign
from anquan.orgs.models import Department, SafetyCommittee
from anquan.regions.models import Region

CITY = "360400"


def city_campaign(world, **extra) -> Campaign:
    city = Region.objects.get(code=CITY)
    raw = {
        "name": "九江市安全生产治本攻坚三年行动",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
        **extra,
    }
    return services.create_campaign(region=city, raw=raw, actor=world.users["city_office"])


def committee(region_code: str, *names: str) -> SafetyCommittee:
    region = Region.objects.get(code=region_code)
    made, _ = SafetyCommittee.objects.get_or_create(
        region=region, defaults={"name": f"{region.name}安委会", "office_name": f"{region.name}安委办"}
    )
    made.members.set(Department.objects.filter(name__in=names))
    return made


def counties_task(campaign, world, *, number="1", deadline=dt.date(2026, 12, 31), **extra):
    """A line led by the city's 应急管理局 and implemented by 各县(市、区)."""
    emergency = Department.objects.get(name="应急管理局")
    units = [
        {
            "role": "lead",
            "text": "市应急管理局",
            "kind": "department",
            "region": None,
            "department": emergency,
        },
        {
            "role": "implement",
            "text": "各县(市、区)",
            "kind": "child_regions",
            "region": None,
            "department": None,
        },
    ]
    return services.create_task(
        campaign,
        number=number,
        title="开展重大事故隐患专项排查整治",
        units=units,
        deadline=deadline,
        actor=world.users["city_office"],
        **extra,
    )
