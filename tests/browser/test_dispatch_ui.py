"""A monthly dispatch as its people meet it: 濂溪区's county office, on a 390 px phone, opens the report from its to-do
list, writes its progress and a target's actual, attaches a photo and sends it; the city office, at desktop size,
opens the dispatch sheet and sees that report with its attachment, then reminds a missing unit. Screenshots:
var/screens/dispatch-todo-phone.png, dispatch-report-phone.png, dispatch-reported-phone.png, dispatch-sheet-desk.png,
dispatch-sheet-phone.png, dispatch-list-desk.png, dispatch-list-phone.png."""

from __future__ import annotations

import pytest

from tests.campaigns.test_dispatch import opened, plan
from tests.live.conftest import PNG

from .conftest import DESKTOP, PASSWORD, PHONE, SCREENS

pytestmark = [pytest.mark.browser]


def test_a_county_reports_with_a_photo_from_its_todo_and_the_city_sees_it_on_the_sheet(
    phone_site, browser, world, tmp_path
):
    from anquan.campaigns.models import Reminder, TaskReport

    p = plan(world)
    dispatch = opened(world, p)
    photo = tmp_path / "排查现场.png"
    photo.write_bytes(PNG)

    page = phone_site.login("county_office")
    page.goto("/todo/")
    item = page.get_by_role("link", name=f"调度填报：{p.lianxi.title}")
    assert item.count() == 1
    phone_site.screenshot("dispatch-todo-phone")
    item.first.click()
    assert page.get_by_test_id("report-task").inner_text().endswith(p.lianxi.title)
    page.get_by_test_id("report-text").fill("本月排查企业45家，发现隐患12项，已整改10项")
    page.get_by_test_id(f"actual-{p.target.pk}").fill("800")
    page.get_by_test_id("report-files").set_input_files(str(photo))
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    )  # a phone card, no sideways scroll
    phone_site.screenshot("dispatch-report-phone")
    page.get_by_test_id("report-submit").click()
    page.get_by_test_id("current-report").wait_for()
    assert (
        "进展已报送" in page.content()
        and "排查现场.png" in page.get_by_test_id("current-report").inner_text()
    )
    phone_site.screenshot("dispatch-reported-phone")
    report = TaskReport.objects.get()
    assert report.task == p.lianxi and not report.late and report.attachments.get().name == "排查现场.png"

    context = browser.new_context(base_url=phone_site.base_url, viewport=DESKTOP, locale="zh-CN")
    office = context.new_page()
    office.goto("/login/")
    office.locator("#id_username").fill("city_office")
    office.locator("#id_password").fill(PASSWORD)
    office.locator("form button[type=submit]").click()
    office.wait_for_url(phone_site.base_url + "/")
    office.goto(f"/campaigns/{p.campaign.pk}/dispatches/")
    SCREENS.mkdir(parents=True, exist_ok=True)
    office.screenshot(path=str(SCREENS / "dispatch-list-desk.png"), full_page=True)
    office.get_by_role("link", name=dispatch.title).click()
    row = office.get_by_test_id(f"row-{p.lianxi.pk}")
    assert row.get_by_test_id(f"state-{p.lianxi.pk}").inner_text() == "按时报送"
    assert "本月排查企业45家" in row.inner_text() and "培训人次：800人次" in row.inner_text()
    link = row.get_by_role("link", name="排查现场.png")
    with office.expect_response(lambda r: "/dispatches/attachments/" in r.url) as shown:
        link.click()
    assert shown.value.status == 200 and shown.value.headers["content-type"] == "image/png"
    office.go_back()
    office.get_by_test_id(f"pick-{p.xiushui.pk}").check()
    office.locator("#r-message").fill("请今天下班前报送")
    office.get_by_test_id("remind-button").click()
    office.get_by_test_id("sheet").wait_for()
    assert "已催报1项" in office.content() and Reminder.objects.get().task == p.xiushui
    office.screenshot(path=str(SCREENS / "dispatch-sheet-desk.png"), full_page=True)
    office.set_viewport_size(PHONE)
    office.screenshot(path=str(SCREENS / "dispatch-sheet-phone.png"), full_page=True)
    office.goto(f"/campaigns/{p.campaign.pk}/dispatches/")
    office.screenshot(path=str(SCREENS / "dispatch-list-phone.png"), full_page=True)
    context.close()
