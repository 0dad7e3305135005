"""Demo small venues (九小场所) in 濂溪区's townships (issue #14): registered through the real service (each with
its public code), a few patrol checks and one owner's self-check with a failed item. The walkthrough venue
"濂溪老街小吃店" has the owner PIN 260101."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from anquan.accounts.models import User
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Grid, Region
from anquan.venues import services
from anquan.venues.checklist import items_for, version_for
from anquan.venues.choices import CheckSource, VenueKind
from anquan.venues.models import SmallVenue

COUNTY = "360402"
WALKTHROUGH_PIN = "260101"
NAMES = {
    VenueKind.SHOP: ["便民超市", "日杂店", "五金店", "烟酒店"],
    VenueKind.SMALL_HOTEL: ["旅社", "宾馆", "民宿"],
    VenueKind.SMALL_SCHOOL: ["幼儿园", "培训学校"],
    VenueKind.SMALL_CLINIC: ["诊所", "卫生室"],
    VenueKind.INTERNET_CAFE: ["网咖", "网吧"],
    VenueKind.SMALL_RESTAURANT: ["小吃店", "面馆", "饭庄", "烧烤店"],
    VenueKind.SMALL_ENTERTAINMENT: ["KTV", "歌厅"],
    VenueKind.SMALL_BATH_BEAUTY: ["足浴店", "美容院", "理发店"],
    VenueKind.SMALL_WORKSHOP: ["家具加工厂", "服装加工坊", "印刷厂"],
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗"


def build_venues(rng: random.Random, per_township: int = 8) -> int:
    actor = User.objects.get(username="lianxi")
    patroller = User.objects.filter(username="grid").first() or actor
    townships = list(Region.objects.filter(parent__code=COUNTY, level=RegionLevel.TOWNSHIP).order_by("code"))
    today = timezone.localdate()
    made = 0
    for town in townships:
        grids = list(Grid.objects.filter(region_code__startswith=town.code).order_by("code"))
        for n in range(per_township):
            kind = rng.choice(list(VenueKind))
            name = f"{town.name[:2]}{rng.choice(NAMES[kind])}{n + 1}号"
            venue, _pin = services.create_venue(
                actor,
                {
                    "kind": kind.value,
                    "name": name,
                    "address": f"{town.name}{rng.choice(['解放路', '新华街', '建设路', '滨江路'])}{rng.randint(1, 300)}号",
                    "region": town.code,
                    "grid": grids[n % len(grids)].code if grids else "",
                    "owner_name": rng.choice(SURNAMES) + rng.choice(["强", "芳", "军", "敏", "伟", "丽"]),
                    "owner_phone": f"139{rng.randint(10000000, 99999999)}",
                    "extinguishers": rng.randint(0, 6),
                    "exits": rng.randint(1, 2),
                    "ebike_indoor_charging": rng.random() < 0.15,
                    "uses_gas": kind == VenueKind.SMALL_RESTAURANT or rng.random() < 0.2,
                    "combustible_decoration": rng.random() < 0.1,
                },
            )
            made += 1
            if rng.random() < 0.5:  # about half were patrolled this month
                services.record_check(
                    venue,
                    on=today - dt.timedelta(days=rng.randint(0, max(0, today.day - 1))),
                    ok=rng.random() < 0.8,
                    source=CheckSource.PATROL,
                    actor=patroller,
                )
    _walkthrough(actor, townships[0], today)
    return made + 1


def _walkthrough(actor: User, town: Region, today: dt.date) -> None:
    """The known venue: PIN 260101, last month's self-check with the e-bike item failed."""
    venue, _pin = services.create_venue(
        actor,
        {
            "kind": VenueKind.SMALL_RESTAURANT.value,
            "name": "濂溪老街小吃店",
            "address": f"{town.name}老街18号",
            "region": town.code,
            "owner_name": "王强",
            "owner_phone": "13907921818",
            "extinguishers": 2,
            "uses_gas": True,
            "gas_alarm": True,
        },
    )
    SmallVenue.objects.filter(pk=venue.pk).update(pin_hash=make_password(WALKTHROUGH_PIN))
    last_month = today.replace(day=1) - dt.timedelta(days=3)
    version = version_for(last_month, venue.region_code)
    items = [
        {"code": i.code, "text": i.text, "ok": i.code != "ebike"} for i in items_for(venue.kind, last_month)
    ]
    services.record_check(
        venue,
        on=last_month,
        ok=False,
        source=CheckSource.SELF_CHECK,
        actor="业主自查",
        items=items,
        rule_version=version,
    )
