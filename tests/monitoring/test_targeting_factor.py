"""The monitoring in enforcement targeting (inspectionplans/targeting.py): an enterprise listed for enforcement
(a stuck or persistently offline sensor, an online rate under the line) scores the rule's `monitoring_listed`
points with its reasons named on the targeting page; sensor alarms of the last year count as the `alarm` factor
(1 point each, at most 10). From the hand-worked November of test_stats.py: 江西化工 raised six alarms
(A1 three in November and one on 31 October, A2 one, A3's stuck alarm), 九江精细 two; the online rate is
taken over the last 30 days."""

from __future__ import annotations

import pytest

from anquan.inspectionplans import services
from anquan.regions.models import Region

from ..conftest import login
from .board_seed import november

pytestmark = pytest.mark.django_db


def test_listed_enterprises_score_the_monitoring_factor_with_its_reason(world):
    november(world)
    found, _ = services.targets(world.users["county_office"], Region.objects.get(code="360402"))
    by_name = {t.name: t for t in found}
    chem = {f.key: f for f in by_name["江西化工测试有限公司"].factors}
    # the window is the last 30 days up to now: the online rates depend on the day the test runs, the reasons not
    assert chem["monitoring_listed"].points == 15
    assert chem["monitoring_listed"].value.startswith("1个监测点数据停滞24小时以上")
    assert (chem["alarm"].points, chem["alarm"].value) == (6, "6 次")
    fine = {f.key: f for f in by_name["九江精细化工有限公司"].factors}
    assert fine["monitoring_listed"].points == 15
    assert fine["monitoring_listed"].value.startswith("1个监测点持续离线24小时以上；在线率")
    assert (
        "监测预警列入执法关注（1个监测点持续离线24小时以上；在线率"
        in by_name["九江精细化工有限公司"].explanation
    )
    build = {f.key: f for f in by_name["濂溪建筑工程有限公司"].factors}
    assert (build["monitoring_listed"].points, build["monitoring_listed"].value) == (0, "否")
    page = login(world.users["county_office"]).get("/plans/targets/?region=360402").content.decode()
    assert "1个监测点数据停滞24小时以上" in page
