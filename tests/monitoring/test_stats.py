"""Early-warning figures of 濂溪区 for November 2026, worked out by hand from the rows of board_seed.november:

- alarms raised in November in the county: six (the October one, the December stuck one and 修水's are out):
  red 1, orange 1, yellow 3, blue 1; high 3, high-high 1, offline 1, rate 1; township t1 4, t2 2;
  江西化工 4 (red 1, orange 1, yellow 2), 九江精细 2 (yellow 1, blue 1); installation 液氯储罐区 3;
  point A1 raised 3 → repeated.
- acknowledged: 4, 10, 2, 20, 6 minutes → sorted 2 4 6 10 20: median 6, p90 = the 5th (⌈4.5⌉) = 20;
  closed (acknowledged → closed): 30, 60, 120, 10 → median (30 + 60) / 2 = 45, p90 = the 4th (⌈3.6⌉) = 120.
- online rate (10 readings an hour expected, interval 360 s; the window ends 1 December 00:00):
  江西化工: A1 720 h × 10 = 7200 of 7200, A2 from 16 November 360 h: 324 × 10 + 36 × 5 = 3420 of 3600 (A3 is
  newer than the window) → 10620 / 10800 = 98.3 %; complete hours (≥ 8 readings, gap line 20 %): 720 + 324 of
  1080 = 96.7 %. 九江精细: B1 720 × 5 = 3600 of 7200 = 50.0 %, no complete hour: 0.0 %.
- listed: 江西化工 (A3's stuck-value alarm begun 27 h before now), 九江精细 (B2 offline, last data 30 h before
  now; online rate 50 % under 90 %).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from anquan.core.scope import restrict
from anquan.monitoring import stats
from anquan.monitoring.models import Alarm, MonitoringPoint
from anquan.regions.models import Region

from ..conftest import login
from .board_seed import NOW, november

pytestmark = pytest.mark.django_db

NOV = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def figures(world, persona="county_office", code="360402"):
    user = world.users[persona]
    region = Region.objects.get(code=code)
    return stats.figures(restrict(MonitoringPoint, user), restrict(Alarm, user), region, *NOV, now=NOW)


def test_alarms_are_counted_by_level_kind_region_enterprise_and_installation(world):
    november(world)
    s = figures(world)
    assert s["total"] == 6
    assert {r["level"]: r["count"] for r in s["by_level"]} == {"red": 1, "orange": 1, "yellow": 3, "blue": 1}
    kinds = {r["kind"]: r["count"] for r in s["by_kind"] if r["count"]}
    assert kinds == {"high": 3, "high_high": 1, "offline": 1, "rate": 1}
    assert {r["region"]: r["count"] for r in s["by_region"] if r["count"]} == {
        world.t1.code: 4,
        world.t2.code: 2,
    }
    assert [
        (r["name"], r["count"], r["red"], r["orange"], r["yellow"], r["blue"]) for r in s["by_enterprise"]
    ] == [
        ("江西化工测试有限公司", 4, 1, 1, 2, 0),
        ("九江精细化工有限公司", 2, 0, 0, 1, 1),
    ]
    assert [(r["name"], r["count"]) for r in s["by_installation"]] == [("液氯储罐区", 3)]
    assert [(r["device_id"], r["count"]) for r in s["repeated"]] == [("A1", 3)]


def test_acknowledgement_and_disposal_times_are_medians_and_p90s(world):
    november(world)
    assert figures(world)["times"] == {
        "acknowledged": 5,
        "acknowledge_median_min": 6.0,
        "acknowledge_p90_min": 20.0,
        "closed": 4,
        "dispose_median_min": 45.0,
        "dispose_p90_min": 120.0,
    }


def test_online_rate_and_completeness_come_from_the_hourly_rollups(world):
    november(world)
    online = {r["name"]: r for r in figures(world)["online"]}
    assert set(online) == {"江西化工测试有限公司", "九江精细化工有限公司"}
    t1 = online["江西化工测试有限公司"]
    assert (t1["points"], t1["expected"], t1["received"]) == (2, 10800, 10620)
    assert (t1["online_rate"], t1["completeness"]) == (98.3, 96.7)
    t2 = online["九江精细化工有限公司"]
    assert (t2["expected"], t2["received"], t2["online_rate"], t2["completeness"]) == (7200, 3600, 50.0, 0.0)


def test_persistent_offline_stuck_and_low_online_rate_are_listed_for_enforcement(world):
    november(world)
    listed = {x["name"]: x for x in figures(world)["listed"]}
    assert set(listed) == {"江西化工测试有限公司", "九江精细化工有限公司"}
    assert listed["江西化工测试有限公司"]["reasons"] == ["1个监测点数据停滞24小时以上"]
    assert listed["九江精细化工有限公司"]["reasons"] == [
        "1个监测点持续离线24小时以上",
        "在线率50%，低于90%",
    ]


def test_an_offline_point_with_recent_data_is_not_listed(world):
    from .board_seed import at, live, point

    p = point(world.chem_t1, "C1", created=at(1, month=12), state="offline")
    live(p, 1.0, NOW - dt.timedelta(hours=3))
    assert figures(world)["listed"] == []


def test_the_city_sees_xiushui_and_the_county_does_not(world):
    november(world)
    city = figures(world, "city_office", "360400")
    assert city["total"] == 7 and "修水化学有限公司" in {r["name"] for r in city["online"]}
    assert "修水化学有限公司" not in {r["name"] for r in figures(world)["online"]}


def test_the_figures_take_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    november(world)
    with django_assert_max_num_queries(16):
        figures(world)


def test_the_page_shows_the_figures_and_refuses_a_bad_period(world):
    november(world)
    client = login(world.users["county_office"])
    page = client.get("/monitoring/stats/?region=360402&from=2026-11-01&to=2026-11-30")
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'data-testid="total">6<' in html and "列入执法关注的企业（" in html and "在线率50%，低于90%" in html
    )
    bad = client.get("/monitoring/stats/?from=2026-12-01&to=2026-11-01")
    assert bad.status_code == 422 and "起始日期不能晚于截止日期" in bad.content.decode()
    assert client.get("/monitoring/stats/?region=360424").status_code == 404


def test_the_api_answers_with_a_token_and_keeps_to_the_scope(world, api_token):
    november(world)
    client = Client()
    body = client.get(
        "/api/v1/stats/monitoring?region=360402&from=2026-11-01&to=2026-11-30", **api_token("county_office")
    ).json()
    assert body["total"] == 6 and body["times"]["acknowledge_median_min"] == 6.0
    assert (
        client.get("/api/v1/stats/monitoring?region=360424", **api_token("county_office")).status_code == 404
    )
    assert client.get("/api/v1/stats/monitoring?region=36x", **api_token("county_office")).status_code == 422
    assert client.get("/api/v1/stats/monitoring").status_code == 401
