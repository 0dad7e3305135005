"""The live board (monitoring/views_board.py, board.py): the points of an area grouped by enterprise and
installation with their latest values, thresholds and states, the counts on top, the open alarms; the fragment
answers 304 while nothing changed and the new content once a value or an alarm changes; the scope holds; the
fragment of 500 points costs a fixed number of queries (ADR 0043)."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from ..conftest import login
from .board_seed import alarm, installation, live, point

pytestmark = pytest.mark.django_db

FRAGMENT = "/monitoring/board/fragment/"


def _seed(world):
    i1 = installation(world.chem_t1)
    a1 = point(world.chem_t1, "A1", name="储罐区可燃气体1号", installation=i1)
    a2 = point(
        world.chem_t1, "A2", name="装卸区有毒气体", kind="toxic_gas", unit="ppm", high=10, high_high=20
    )
    b1 = point(
        world.chem_t2,
        "B1",
        name="精细化工车间温度",
        kind="temperature",
        unit="℃",
        high=80,
        high_high=None,
        state="offline",
    )
    x1 = point(world.chem_xiushui, "X1", name="修水储罐压力")
    live(a1, 12.5, timezone.now())
    live(a2, 31.0, timezone.now(), band="high_high")
    a2.state = "alarm"
    a2.save()
    red = alarm(a2, "red", "high_high", timezone.now(), first_value=31.0)
    return a1, a2, b1, x1, red


def test_the_board_groups_points_with_values_thresholds_states_and_open_alarms(world):
    a1, a2, b1, x1, red = _seed(world)
    html = login(world.users["county_office"]).get("/monitoring/board/").content.decode()
    assert "江西化工测试有限公司" in html and "重大危险源：液氯储罐区（2级）" in html
    assert "不在重大危险源上的监测点" in html and "九江精细化工有限公司" in html
    assert "修水储罐压力" not in html  # another county
    assert "12.5" in html and "高 25 高高 50" in html and 'data-state="offline"' in html
    assert 'data-testid="count-online">2<span class="fs-6 text-secondary">/3<' in html
    assert 'data-testid="count-offline">1<' in html and 'data-testid="count-alarm">1<' in html
    assert f'href="/monitoring/alarms/{red.pk}/"' in html and 'data-testid="open-total">1<' in html


def test_the_area_filters_down_to_one_enterprise_and_keeps_to_the_scope(world):
    a1, a2, b1, x1, red = _seed(world)
    county = login(world.users["county_office"])
    one = county.get(f"/monitoring/board/?enterprise={world.chem_t2.pk}").content.decode()
    assert "精细化工车间温度" in one and "储罐区可燃气体1号" not in one and "没有未关闭的报警" in one
    town = county.get(f"/monitoring/board/?region={world.t1.code}").content.decode()
    assert "储罐区可燃气体1号" in town and "精细化工车间温度" not in town
    assert county.get("/monitoring/board/?region=360424").status_code == 404
    assert county.get(f"/monitoring/board/?enterprise={world.chem_xiushui.pk}").status_code == 404
    assert county.get("/monitoring/board/?enterprise=abc").status_code == 404
    manager = login(world.users["enterprise_manager"]).get("/monitoring/board/").content.decode()
    assert "储罐区可燃气体1号" in manager and "精细化工车间温度" not in manager
    assert (
        login(world.users["grid_worker"]).get("/monitoring/board/").status_code == 404
    )  # no monitoring view


def test_the_fragment_is_304_until_a_value_or_an_alarm_changes(world):
    a1, a2, b1, x1, red = _seed(world)
    client = login(world.users["county_office"])
    first = client.get(FRAGMENT)
    tag = first["ETag"]
    assert first.status_code == 200 and tag and "12.5" in first.content.decode()
    same = client.get(FRAGMENT, HTTP_IF_NONE_MATCH=tag)
    assert same.status_code == 304 and same.content == b""
    live(a1, 13.75, timezone.now())
    changed = client.get(FRAGMENT, HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and "13.75" in changed.content.decode()
    tag = changed["ETag"]
    new = alarm(b1, "blue", "offline", timezone.now())
    with_alarm = client.get(FRAGMENT, HTTP_IF_NONE_MATCH=tag)
    assert with_alarm.status_code == 200 and f'data-alarm="{new.pk}"' in with_alarm.content.decode()
    tag = with_alarm["ETag"]
    red.status = "closed"
    red.save()
    closed = client.get(FRAGMENT, HTTP_IF_NONE_MATCH=tag)
    assert closed.status_code == 200 and f'data-alarm="{red.pk}"' not in closed.content.decode()


def test_the_fragment_of_500_points_costs_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    """Measured for ADR 0043: a 304 is two aggregate queries, a full fragment six (plus the session, the user and its scope)."""
    from anquan.monitoring.models import MonitoringPoint, PointLive

    now = timezone.now()
    points = MonitoringPoint.objects.bulk_create(
        MonitoringPoint(
            enterprise=world.chem_t1,
            region_code=world.chem_t1.region_code,
            supervising_department=world.chem_t1.supervising_department,
            device_id=f"P{i:03d}",
            name=f"探测器{i:03d}",
            kind="combustible_gas",
            unit="%LEL",
            high=25,
            high_high=50,
        )
        for i in range(500)
    )
    PointLive.objects.bulk_create(
        PointLive(point=p, last_value=float(i % 30), last_ts=now) for i, p in enumerate(points)
    )
    client = login(world.users["county_office"])
    client.get(FRAGMENT)  # the session is read once
    started = time.perf_counter()
    with django_assert_max_num_queries(10):
        full = client.get(FRAGMENT)
    full_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    with django_assert_max_num_queries(6):
        not_modified = client.get(FRAGMENT, HTTP_IF_NONE_MATCH=full["ETag"])
    short_ms = (time.perf_counter() - started) * 1000
    assert full.status_code == 200 and full.content.decode().count('data-testid="point"') == 500
    assert not_modified.status_code == 304
    print(
        f"\nfragment of 500 points: {len(full.content)} bytes in {full_ms:.0f} ms; 304 in {short_ms:.0f} ms"
    )
