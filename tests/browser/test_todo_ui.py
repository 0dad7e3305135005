"""The to-do centre in a real browser (issue #12): the county official opens the to-do, follows 待受理隐患 to the
batch page, ticks "select all" and accepts the grid reports at once; the to-do moves on to 待交办整改 and the
acceptance notices show as handled, grouped by kind. On a phone, the grid worker who reported reads 已受理 for
each report, with nothing scrolling sideways. Screenshots: var/screens/todo-*.png."""

import pytest

from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from .pages import flash_messages

pytestmark = [pytest.mark.browser]


def no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_county_accepts_grid_reports_from_the_todo_and_the_reporter_hears(site, phone_site, world):
    grid = world.users["grid_worker"]
    texts = ["仓库消防通道堆放杂物", "配电箱柜门缺失", "液化气钢瓶露天存放"]
    ids = [
        reporting.report_hazard(
            {"enterprise": world.chem_t1.uscc, "source": "grid_patrol", "description": text}, actor=grid
        ).pk
        for text in texts
    ]

    page = site.login("county_office")
    page.goto("/todo/")
    panel = page.get_by_test_id("todo-panel")
    accept = panel.locator('[data-kind="hazards.accept"]')
    assert accept.locator("[data-testid=todo-count]").text_content() == "3"
    assert page.get_by_test_id("todo-total").text_content() == "3"
    site.screenshot("todo-county-desktop")
    accept.click()
    page.wait_for_url("**/hazards/accept/")
    for text in texts:
        assert page.get_by_text(text).is_visible()
    page.get_by_label("全选本页").check()  # todo.js ticks every report
    assert page.locator("input[name=ids]:checked").count() == 3
    page.locator("#accept-comment").fill("已电话核实")
    site.screenshot("todo-accept-batch-desktop")
    page.get_by_test_id("accept-selected").click()
    page.wait_for_load_state()
    assert "已受理 3 条隐患。" in flash_messages(page)
    assert set(Hazard.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"confirmed"}

    page.goto("/todo/")
    assert page.locator('[data-kind="hazards.accept"]').count() == 0
    assert page.locator('[data-kind="hazards.assign"] [data-testid=todo-count]').text_content() == "3"
    page.goto("/notifications/")
    group = page.locator('[data-testid=notification-group][data-kind="hazard_accept"]')
    assert group.locator(".badge", has_text="已处理").count() == 3
    assert group.locator(".badge", has_text="未读").count() == 0
    site.screenshot("todo-notifications-county-desktop")

    phone = phone_site.login("grid_worker")
    phone.goto("/notifications/")
    feedback = phone.locator('[data-testid=notification-group][data-kind="hazard_feedback"]')
    for number in Hazard.objects.filter(pk__in=ids).values_list("number", flat=True):
        assert feedback.get_by_text(f"您上报的隐患{number}").first.text_content().endswith("已受理")
    assert no_sideways_scroll(phone)
    phone_site.screenshot("todo-notifications-grid-phone")
    phone.goto("/todo/")
    assert phone.get_by_test_id("todo-empty").is_visible() and no_sideways_scroll(phone)
    phone_site.screenshot("todo-grid-phone")
