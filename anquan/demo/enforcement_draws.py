"""Demo data of the double-random draws (issue #13): two more inspectors of 濂溪区应急管理局, enforcement
certificates for the three (one living in the demo township, so never drawn there), a declared link, and one
draw made, published and partly inspected through the services the pages use."""

from __future__ import annotations

import datetime as dt
import random

from anquan.accounts import certificates
from anquan.accounts.models import User
from anquan.accounts.services import create_user
from anquan.draws import services
from anquan.enterprises.models import Enterprise
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

INSPECTORS = [("inspector2", "执法员 王强"), ("inspector3", "执法员 赵敏")]


def build_draws(rng: random.Random, hashed: str) -> None:
    for username, full_name in INSPECTORS:
        create_user(
            actor=None,
            username=username,
            role="inspector",
            password=None,
            password_hash=hashed,
            region_code="360402",
            department_name="应急管理局",
            full_name=full_name,
        )
    supervisor = User.objects.get(username="lianxi_yjj")
    town = Region.objects.filter(parent__code="360402", level=RegionLevel.TOWNSHIP).order_by("code").first()
    for n, username in enumerate(["inspector", "inspector2", "inspector3"], start=1):
        certificates.save_certificate(
            {
                "inspector": username,
                "number": f"3604022025{n:04d}",
                "issuing_authority": "九江市人民政府",
                "valid_from": dt.date(2025, 1, 1),
                "valid_until": dt.date(2030, 12, 31),
                "area": "安全生产行政执法",
                "home_township": town.code if username == "inspector3" and town else "",
            },
            actor=supervisor,
        )
    pool = Enterprise.objects.filter(
        region_code__startswith="360402", supervising_department__name="应急管理局"
    )
    # a link outside the township inspector3 lives in, so every enterprise keeps two inspectors to draw
    linked = pool.exclude(region_code__startswith=town.code if town else "-").order_by("pk").first()
    if linked is not None:
        inspector2 = User.objects.get(username="inspector2")
        services.declare_link(
            {"enterprise": linked.uscc, "kind": "relative", "note": "配偶在该企业任职"}, actor=inspector2
        )
    count = min(5, pool.count())
    if count == 0:
        return
    draft = services.create_draft(
        {"title": "2026年第四季度安全生产双随机抽查（濂溪区）", "enterprise_count": count, "repeat_days": 90},
        actor=supervisor,
    )
    draw = services.draw_now(draft, actor=supervisor, seed="濂溪-2026-Q4")
    draw = services.transition(draw, "publish", actor=supervisor)
    first = draw.picks.order_by("position").first()
    if first is not None:
        services.enter_result(
            first, {"result": "ordered", "result_text": "发现隐患2处，已责令限期整改"}, actor=supervisor
        )
