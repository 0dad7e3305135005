"""The monthly dispatch's section 监测预警情况 (bulletins/monitoring_section.py) from the hand-worked November of
test_stats.py: six alarms by level, the median acknowledgement time, the online rate of the county's points
(10620 + 3600 of 10800 + 7200 readings = 79.0 %) and the two enterprises listed for enforcement."""

from __future__ import annotations

import datetime as dt

import pytest

from anquan.bulletins import generate
from tests.bulletins.conftest import docx_text, read_docx

from .board_seed import november

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


def _dispatch(world, month: int, persona: str = "county_office", region: str = "360402") -> str:
    bulletin = generate.generate(
        world.users[persona],
        {"region": region, "year": 2026, "kind": "monthly_dispatch", "month": month},
        today=TODAY,
    )
    with bulletin.file.open("rb") as handle:
        return docx_text(read_docx(handle.read()))


def test_the_monthly_dispatch_reports_alarms_online_rate_and_the_listed_enterprises(world):
    november(world)
    text = _dispatch(world, 11)
    assert "、监测预警情况" in text
    assert "接入监测预警的企业2家、监测点5个，共发生报警6起（红色1起、橙色1起、黄色3起、蓝色1起）" in text
    assert "确认用时中位数6分钟" in text and "监测数据在线率79.0%" in text
    assert (
        "2家企业列入执法关注：九江精细化工有限公司（1个监测点持续离线24小时以上，在线率50%，低于90%）" in text
    )
    assert "江西化工测试有限公司（1个监测点数据停滞24小时以上）" in text


def test_an_area_without_monitoring_points_has_no_section(world):
    assert "监测预警情况" not in _dispatch(world, 11)
