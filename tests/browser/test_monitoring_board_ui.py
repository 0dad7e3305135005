"""The live board as a county office meets it (issue #16 item 5), at desktop and phone width: the page shows each
point's value and state and the open alarms; a new reading (PointLive written as ingestion writes it) and a new
alarm appear without a reload (the page's own marker survives); the phone shows the points as cards without a
sideways scroll; a point's trend chart draws; an alarm nobody acknowledged is escalated to the county, whose to-do
count rises, and falls again once the enterprise's operator has acknowledged, disposed of and closed it in the
browser, while the county's board drops it without a reload. Screenshots: var/screens/monitoring-board-desk.png,
monitoring-board-phone.png, monitoring-trend-desk.png, monitoring-alarm-closed.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anquan.monitoring import ticks
from tests.browser.conftest import DESKTOP, Site
from tests.monitoring.board_seed import alarm, installation, live, point

pytestmark = [pytest.mark.browser]

VALUE = "[data-point='{pk}'] [data-testid=point-value]"


def _seed(world):
    i1 = installation(world.chem_t1)
    a1 = point(world.chem_t1, "A1", name="储罐区可燃气体1号", installation=i1)
    b1 = point(
        world.chem_t2, "B1", name="精细化工车间温度", kind="temperature", unit="℃", high=80, high_high=None
    )
    live(a1, 12.5, timezone.now())
    live(b1, 41.0, timezone.now())
    return a1, b1


def _walk(site, world, label: str) -> None:
    a1, b1 = _seed(world)
    page = site.login("county_office")
    page.goto("/monitoring/board/")
    assert page.locator(VALUE.format(pk=a1.pk)).inner_text() == "12.5"
    assert page.get_by_test_id("count-alarm").inner_text() == "0"
    page.evaluate("() => { window.aqMarker = 'same page'; }")
    # a reading arrives and the point crosses its high-high line: the value and the state follow
    live(a1, 55.25, timezone.now(), band="high_high")
    a1.state = "alarm"
    a1.save()
    page.locator(VALUE.format(pk=a1.pk)).filter(has_text="55.25").wait_for()
    assert page.locator(f"[data-point='{a1.pk}']").get_attribute("data-state") == "alarm"
    # the alarm is raised: it appears in the open-alarm list and the counts
    raised = alarm(a1, "red", "high_high", timezone.now(), first_value=55.25)
    page.locator(f"[data-alarm='{raised.pk}']").wait_for()
    assert page.get_by_test_id("count-alarm").inner_text() == "1"
    assert (
        "红色 1" in page.get_by_test_id("count-levels").inner_text()
        or "Red 1" in page.get_by_test_id("count-levels").inner_text()
    )
    assert page.evaluate("() => window.aqMarker") == "same page"  # never reloaded
    site.screenshot(f"monitoring-board-{label}")


def test_the_board_follows_a_value_and_a_new_alarm_without_reload_on_a_desk(site, world):
    _walk(site, world, "desk")
    page = site.page
    a1 = page.locator("[data-testid=point]").first
    a1.click()
    page.wait_for_url("**/trend/")
    page.locator("[data-testid=trend-chart][data-loaded=day]").wait_for()
    page.locator("[data-aq-range=hour]").click()
    page.locator("[data-testid=trend-chart][data-loaded=hour]").wait_for()
    site.screenshot("monitoring-trend-desk")


def test_the_board_follows_a_value_and_a_new_alarm_without_reload_on_a_phone(phone_site, world):
    _walk(phone_site, world, "phone")
    page = phone_site.page
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # cards, no sideways scroll


def _todo(page) -> int:
    """The to-do count the user sees beside the to-do centre in the menu (no badge: nothing waits), once it has come
    after the page (base.html's loader)."""
    page.get_by_test_id("todo-loaded").wait_for(state="attached")
    badge = page.get_by_test_id("todo-badge")
    return int(badge.first.inner_text()) if badge.count() else 0


def test_an_operator_closes_an_escalated_alarm_and_the_countys_to_do_follows(
    site, browser, live_server, world, request
):
    a1, _ = _seed(world)
    county = site.login("county_office")
    county.goto("/monitoring/board/")
    before = _todo(county)
    county.evaluate("() => { window.aqMarker = 'same page'; }")
    # raised 20 minutes ago and not acknowledged: the tick escalates it (red: after 15 minutes) to the county
    raised = alarm(a1, "red", "high_high", timezone.now() - dt.timedelta(minutes=20), first_value=55.25)
    assert ticks.escalate(timezone.now()) == 1
    county.locator(f"[data-alarm='{raised.pk}']").wait_for()
    assert county.evaluate("() => window.aqMarker") == "same page"
    # the county's to-do count (rendered with each page) now holds the escalated alarm
    board = site.context.new_page()
    board.goto("/monitoring/board/")
    assert _todo(board) == before + 1
    board.close()

    operator = Site(browser, live_server.url, request, DESKTOP)
    try:
        page = operator.login("enterprise_manager")
        page.goto(f"/monitoring/alarms/{raised.pk}/")
        page.get_by_test_id("step-acknowledge").locator("[name=comment]").fill("值班人员已到现场")
        page.get_by_test_id("do-acknowledge").click()
        page.get_by_test_id("step-dispose").locator("[name=disposal]").fill("关闭进料阀，开启强制通风")
        page.get_by_test_id("do-dispose").click()
        page.get_by_test_id("step-close").locator("[name=comment]").fill("浓度已恢复正常，探头复核无误")
        page.get_by_test_id("do-close").click()
        page.get_by_test_id("alarm-status").filter(has_text="已关闭").wait_for()
        events = page.get_by_test_id("events").inner_text()
        assert "确认" in events and "开始处置" in events and "关闭" in events
        operator.screenshot("monitoring-alarm-closed")
        assert not operator.problems, operator.problems
    finally:
        operator.close(False)

    # the county's board drops the closed alarm without a reload; its to-do count is back where it was
    county.locator(f"[data-alarm='{raised.pk}']").wait_for(state="detached")
    assert county.evaluate("() => window.aqMarker") == "same page"
    county.reload()
    assert _todo(county) == before
