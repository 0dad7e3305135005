"""Demo data of the rescue forces (issue #17): rescue teams and supply depots of 濂溪区, 浔阳区 and 柴桑区 around
九江's city centre (real-looking coordinates), their stock — some below its minimum, one expired — and today's
duty of the teams of 濂溪区 (the others' missing rosters show in the to-do centre)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.models import User
from anquan.rescue import duty, services, stock

# (county code, name, kind, speciality, members, latitude, longitude, address, equipment)
TEAMS = [
    (
        "360402",
        "濂溪区危险化学品应急救援队",
        "professional",
        "hazardous_chemicals",
        32,
        29.6712,
        116.0106,
        "濂溪区十里大道1166号",
        ["化学洗消车", "抢险救援车", "重型防化服 20套", "有毒气体检测仪 6台"],
    ),
    (
        "360402",
        "江西化工集团九江有限公司专职救援队",
        "enterprise",
        "hazardous_chemicals",
        18,
        29.6475,
        116.0432,
        "濂溪区莲花镇化工园区",
        ["泡沫消防车", "空气呼吸器 12套"],
    ),
    (
        "360403",
        "浔阳区综合应急救援大队",
        "professional",
        "comprehensive",
        45,
        29.7301,
        115.9972,
        "浔阳区浔阳东路218号",
        ["抢险救援车", "液压破拆工具组", "照明车"],
    ),
    (
        "360403",
        "浔阳区蓝天救援队",
        "volunteer",
        "flood",
        26,
        29.7236,
        116.0188,
        "浔阳区滨江路66号",
        ["冲锋舟 4艘", "救生衣 60件"],
    ),
    (
        "360404",
        "柴桑区矿山应急救援队",
        "professional",
        "mine",
        38,
        29.6096,
        115.9121,
        "柴桑区沙河街镇柴桑大道9号",
        ["矿山救护车", "正压氧气呼吸器 30台"],
    ),
]
# (county code, name, latitude, longitude, address, [(item, category, quantity, unit, minimum, expires in days)])
DEPOTS = [
    (
        "360402",
        "濂溪区应急物资储备库",
        29.6650,
        116.0021,
        "濂溪区五老峰路18号",
        [
            ("水成膜泡沫灭火剂", "fire", 12, "吨", 10, None),
            ("重型防化服", "protection", 8, "套", 20, None),  # below its minimum
            ("吸附棉", "leak", 400, "千克", 200, None),
            ("医用急救包", "medical", 60, "个", 30, -20),  # expired twenty days ago
        ],
    ),
    (
        "360403",
        "浔阳区防汛抗旱物资仓库",
        29.7342,
        116.0061,
        "浔阳区湓浦路2号",
        [
            ("编织袋", "rescue", 20000, "条", 10000, None),
            ("救生衣", "protection", 150, "件", 300, None),  # below its minimum
            ("抗溶性泡沫液", "fire", 5, "吨", 2, 400),
        ],
    ),
    (
        "360404",
        "柴桑区应急物资储备库",
        29.6178,
        115.9245,
        "柴桑区沙河街镇工业大道3号",
        [
            ("帐篷", "living", 120, "顶", 100, None),
            ("发电机", "lighting", 6, "台", 4, None),
            ("干粉灭火器", "fire", 300, "具", 200, 700),
        ],
    ),
]


def build_rescue() -> None:
    city = User.objects.get(username="jiujiang")  # 九江市安委办: every county of the city in scope
    today = timezone.localdate()
    located = {"contact_name": "值班室", "contact_phone": "0792-8220000"}
    teams = []
    for code, name, kind, speciality, members, lat, lng, address, equipment in TEAMS:
        teams.append(
            services.create_team(
                city,
                {
                    "region": code,
                    "department": "emergency",
                    "name": name,
                    "kind": kind,
                    "speciality": speciality,
                    "member_count": members,
                    "latitude": lat,
                    "longitude": lng,
                    "address": address,
                    "equipment": equipment,
                    **located,
                },
            )
        )
    for code, name, lat, lng, address, items in DEPOTS:
        depot = services.create_depot(
            city,
            {
                "region": code,
                "department": "emergency",
                "name": name,
                "latitude": lat,
                "longitude": lng,
                "address": address,
                **located,
            },
        )
        for item, category, quantity, unit, minimum, expires in items:
            expiry = today + dt.timedelta(days=expires) if expires is not None else None
            stock.add_item(
                city,
                depot,
                {
                    "name": item,
                    "category": category,
                    "quantity": quantity,
                    "unit": unit,
                    "minimum_quantity": minimum,
                    "expires_on": expiry.isoformat() if expiry else None,
                },
            )
    for team in teams:
        if team.region_code == "360402":
            duty.create_roster(
                city,
                {
                    "team": team.pk,
                    "day": today.isoformat(),
                    "leader_name": "王建华",
                    "leader_phone": "13907921001",
                    "person_name": "李强",
                    "phone": "0792-8221119",
                },
            )
