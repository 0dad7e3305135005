"""A campaign as its people meet it: 九江市's office (desktop) creates a campaign with its stages and battles, adds a
task for 各县(市、区) — one part per county appears on the task page; 濂溪区's office (phone) finds its part in its
to-do list and starts it; the city's dashboard then counts it. Screenshots: var/screens/campaign-edit-desk.png,
campaign-task-desk.png, campaign-todo-phone.png, campaign-part-phone.png, campaign-dashboard-desk.png,
campaign-dashboard-phone.png, campaign-list-phone.png."""

from __future__ import annotations

import pytest

from ..conftest import PASSWORD
from .conftest import DESKTOP, PHONE, SCREENS

pytestmark = [pytest.mark.browser]


def test_an_office_creates_a_campaign_and_a_county_starts_its_part(site, browser, world):
    from anquan.campaigns.models import Task
    from anquan.regions.models import Region

    page = site.login("city_office")
    page.goto("/campaigns/")
    page.get_by_test_id("new-campaign").click()
    page.locator("#f-name").fill("九江市安全生产百日攻坚行动")
    page.locator("#f-start").fill("2026-09-01")
    page.locator("#f-end").fill("2026-08-01")  # before the start: refused under the field
    page.locator("[name=stage_name_0]").fill("动员部署")
    page.locator("[name=stage_start_0]").fill("2026-09-01")
    page.locator("[name=stage_end_0]").fill("2026-09-15")
    page.locator("#f-battles").fill(
        "一、危险化学品安全攻坚战（市应急管理局）\n二、建筑施工安全攻坚战（市住建局）"
    )
    page.get_by_test_id("save-campaign").click()
    assert "结束日期不能早于开始日期" in page.get_by_test_id("error-ends_on").inner_text()
    site.screenshot("campaign-edit-desk")
    page.locator("#f-end").fill("2026-12-31")
    page.get_by_test_id("save-campaign").click()
    assert "0项任务" in page.get_by_test_id("campaign-progress").inner_text()
    page.get_by_test_id("campaign-activate").click()
    form = page.get_by_test_id("task-form")
    form.locator("#t-number").fill("1")
    form.locator("#t-title").fill("开展危险化学品重大隐患排查整治")
    form.locator("#t-battle").select_option(label="一、危险化学品安全攻坚战")
    form.locator("#t-deadline").fill("2026-12-31")
    form.locator("#t-lead").select_option(label="应急管理局")
    form.locator("#t-impl").select_option("child_regions")
    form.locator("#t-impl-text").fill("各县(市、区)")
    page.get_by_test_id("add-task").click()
    counties = Region.objects.filter(parent__code="360400").count()
    assert page.get_by_test_id("subtasks").locator("li").count() == counties + 1  # + the lead, 市应急管理局
    assert "濂溪区人民政府" in page.get_by_test_id("subtasks").inner_text()
    site.screenshot("campaign-task-desk")

    phone = browser.new_context(base_url=site.base_url, viewport=PHONE, locale="zh-CN")
    county = phone.new_page()
    county.goto("/login/")
    county.locator("#id_username").fill("county_office")
    county.locator("#id_password").fill(PASSWORD)
    county.locator("form button[type=submit]").click()
    county.wait_for_url(site.base_url + "/")
    county.goto("/todo/")
    county.get_by_role("link", name="待办理的专项整治任务").first.click()
    SCREENS.mkdir(parents=True, exist_ok=True)
    county.screenshot(path=str(SCREENS / "campaign-todo-phone.png"), full_page=True)
    county.get_by_role("link", name="开展危险化学品重大隐患排查整治").click()
    assert county.get_by_test_id("task-unit").inner_text() == "濂溪区人民政府"
    county.locator("#c-start").fill("已召开部署会")
    county.get_by_test_id("do-start").click()
    part = Task.objects.get(region__code="360402", parent__isnull=False)
    assert part.status == "in_progress"
    assert county.get_by_test_id("task-status").inner_text().strip() == part.get_status_display()
    assert "已召开部署会" in county.get_by_test_id("history").inner_text()
    county.screenshot(path=str(SCREENS / "campaign-part-phone.png"), full_page=True)
    county.goto("/campaigns/")
    county.screenshot(path=str(SCREENS / "campaign-list-phone.png"), full_page=True)

    page.goto(f"/campaigns/{part.campaign_id}/dashboard/")
    assert page.get_by_test_id("dashboard-sentence").inner_text() == "1项任务，已完成0项，完成率0.0%"
    assert "濂溪区人民政府" in page.get_by_test_id("by-unit").inner_text()
    site.screenshot("campaign-dashboard-desk")
    page.set_viewport_size(PHONE)
    site.screenshot("campaign-dashboard-phone")
    page.set_viewport_size(DESKTOP)
    phone.close()
