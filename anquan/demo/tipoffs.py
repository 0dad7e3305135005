"""Demo data of the public tip-offs (issue #14): five tip-offs in 濂溪区 filed through the public service, at the
stages an office meets them — one to accept, one accepted, one being verified, one (illegal production) substantiated with
its reward decided, one not accepted — handled by 濂溪区安委办 and 应急管理局 through the workflow's actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region
from anquan.tipoffs import actions, services

TIPOFFS = [
    ("hazard", "小区地下车库有人给电动车飞线充电，电线从一楼窗户拉出", "幸福小区3栋地下车库", "", ""),
    ("hazard", "加油站旁的小仓库堆放大量液化气瓶", "十里大道88号后院", "李先生", "13670009012"),
    ("hazard", "饭店后厨液化气瓶放在灶台边，没有燃气报警器", "滨湖路12号饭店", "吴女士", "13870005678"),
    ("violation", "一家无证的小作坊晚上生产烟花爆竹", "十里大道旁废弃厂房", "周先生", "13970001234"),
    ("concealed_accident", "听说工地上个月有人摔伤，没有上报", "城东某工地", "", ""),
]


def build_tipoffs() -> None:
    county = User.objects.get(username="lianxi")
    department = User.objects.get(username="lianxi_yjj")
    town = Region.objects.filter(parent__code="360402", level=RegionLevel.TOWNSHIP).order_by("code").first()
    if town is None:
        return
    now = timezone.now()
    made = []
    for n, (kind, text, place, name, phone) in enumerate(TIPOFFS):
        tipoff, _ = services.submit(
            {
                "kind": kind,
                "description": text,
                "region": town.code,
                "address": place,
                "reporter_name": name,
                "reporter_phone": phone,
            },
            now=now - dt.timedelta(days=12 - 2 * n),
        )
        made.append(tipoff)
    received, accepted, verifying, substantiated, rejected = made
    del received  # waits in the county office's to-do list
    actions.transition(accepted, "accept", actor=county, department="应急管理局")
    t = actions.transition(verifying, "accept", actor=county, department="应急管理局")
    actions.transition(t, "verify", actor=department)
    t = actions.transition(substantiated, "accept", actor=county, department="应急管理局")
    t = actions.transition(t, "verify", actor=department)
    t = actions.transition(
        t,
        "substantiate",
        actor=county,
        reply="经现场核查，举报属实，已依法取缔并处以罚款",
        fine_amount="30000",
    )
    actions.transition(t, "decide_reward", actor=county)
    actions.transition(
        rejected, "reject", actor=county, reply="线索不具体，无法核查；如有具体地点和时间，欢迎再次举报"
    )
