"""A county ready for double-random draws: 濂溪区应急管理局 supervising eight chemical enterprises in two townships
(t1, t2), and five inspectors of that department: four holding a valid certificate — one living in t1 (so never
drawn for an enterprise there), one with a declared link to one enterprise — and one whose certificate expired."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_enterprise


@dataclass
class DrawWorld:
    world: object
    enterprises: list  # the eight, in id order
    inspectors: dict  # name → user
    linked: object  # the enterprise `linked` inspector declared a link to
    supervisor: object


@pytest.fixture
def draws_world(world):
    from anquan.accounts import certificates
    from anquan.accounts.services import create_user
    from anquan.draws import services

    supervisor = world.users["emergency_supervisor"]
    enterprises = [world.chem_t1, world.chem_t2]
    for n in range(6):
        town = world.t1 if n % 2 == 0 else world.t2
        enterprises.append(
            make_enterprise(town, "hazardous_chemicals", f"濂溪抽查化工{n}有限公司", "360402", 20 + n)
        )
    today = timezone.localdate()
    inspectors = {"inspector": world.users["inspector"]}
    for name in ("zhang", "wang", "li", "expired"):
        inspectors[name] = create_user(
            actor=None,
            username=name,
            role="inspector",
            password=PASSWORD,
            region_code="360402",
            department_name="应急管理局",
            full_name={"zhang": "张执法", "wang": "王执法", "li": "李执法", "expired": "过期证"}[name],
        )
    inspectors["inspector"].full_name = "赵执法"
    inspectors["inspector"].save(update_fields=["full_name"])
    for n, (name, user) in enumerate(inspectors.items()):
        expired = name == "expired"
        certificates.save_certificate(
            {
                "inspector": user.username,
                "number": f"36040220260{n:02d}",
                "issuing_authority": "九江市人民政府",
                "valid_from": today - dt.timedelta(days=400),
                "valid_until": today - dt.timedelta(days=1) if expired else today + dt.timedelta(days=700),
                "area": "安全生产",
                "home_township": world.t1.code if name == "zhang" else "",
            },
            actor=supervisor,
        )
    linked = enterprises[3]
    services.declare_link(
        {"enterprise": linked.uscc, "kind": "relative", "note": "配偶任职"}, actor=inspectors["wang"]
    )
    return DrawWorld(world, sorted(enterprises, key=lambda e: e.pk), inspectors, linked, supervisor)


def new_draft(dw, **extra):
    from anquan.draws import services

    raw = {"title": "2026年第一批危化企业双随机抽查", "enterprise_count": 3, "repeat_days": 0, **extra}
    return services.create_draft(raw, actor=dw.supervisor)
