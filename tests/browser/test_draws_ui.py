"""A double-random draw as its users meet it in a real browser: 濂溪区应急管理局's supervisor creates a draft,
draws (the seed is shown), publishes it and has it recomputed ("结果一致"); then anyone, on a phone and without
logging in, reads the public page with the enterprises and the inspectors' names; and a drawn inspector, on a
phone, finds the enterprise on their task cards (我的抽查任务) and starts the inspection from the card. Screenshots:
var/screens/draws-desk.png (1366×900), draws-public-phone.png, draws-tasks-phone.png (390×844) and
draws-tasks-desk.png."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.draws.conftest import draws_world  # noqa: F401  (the fixture: certified inspectors, a pool)

from .conftest import DESKTOP, PHONE, SCREENS, Site
from .pages import flash_messages

pytestmark = [pytest.mark.browser]


def test_supervisor_creates_draws_publishes_and_the_public_reads_it_on_a_phone(
    site,
    draws_world,  # noqa: F811
    browser,
    request,
):
    page = site.login("emergency_supervisor")
    page.get_by_role("link", name="双随机抽查").first.click()
    page.get_by_test_id("new-draw").click()
    page.locator("#d-title").fill("2026年危化企业双随机抽查（浏览器）")
    page.locator("#d-count").fill("3")
    page.locator("#d-repeat").fill("0")
    page.locator("#d-seed").fill("濂溪-浏览器-1")
    page.get_by_test_id("save-draft").click()
    assert any("抽查草稿已保存" in m for m in flash_messages(page))
    assert page.get_by_test_id("draw-status").inner_text().strip() == "草稿"

    page.get_by_test_id("do-draw").click()
    assert page.get_by_test_id("draw-status").inner_text().strip() == "已抽取"
    assert page.get_by_test_id("seed").inner_text() == "濂溪-浏览器-1"
    rows = page.get_by_test_id("pick-table").locator("tbody tr")
    assert rows.count() == 3
    enterprises = [rows.nth(n).locator("td").nth(1).inner_text() for n in range(3)]
    inspectors = rows.nth(0).locator("td").nth(2).inner_text()
    assert "企业8家，持证执法人员4名" in page.get_by_test_id("pools").inner_text()

    page.get_by_test_id("do-publish").click()
    assert page.get_by_test_id("draw-status").inner_text().strip() == "已公示"
    assert "未核实" in page.content()  # the publication deadline is an unverified rule version
    site.screenshot("draws-desk")

    page.get_by_test_id("rerun").click()
    assert page.get_by_test_id("rerun-verdict").inner_text().strip() == "结果一致"

    # the public page: another browser, a phone, no login
    context = browser.new_context(base_url=site.base_url, viewport=PHONE, locale="zh-CN")
    public = context.new_page()
    public.goto("/public/random-draws/?region=360402")
    assert public.url.endswith("/public/random-draws/?region=360402")  # not sent to the login page
    card = public.get_by_test_id("public-draw")
    assert card.count() == 1
    text = card.inner_text()
    assert "2026年危化企业双随机抽查（浏览器）" in text and "濂溪区应急管理局" in text
    assert all(name in text for name in enterprises) and inspectors.split("、")[0] in text
    assert "emergency_supervisor" not in public.content()
    public.screenshot(path=str(SCREENS / "draws-public-phone.png"), full_page=True)
    context.close()

    # a drawn inspector, on a phone: the task card, the inspection started from it
    name = inspectors.split("、")[0]
    user = next(u for u in draws_world.inspectors.values() if u.full_name == name)
    field = Site(browser, site.base_url, request, PHONE)
    phone = field.page
    phone.goto("/login/")
    phone.locator("#id_username").fill(user.username)
    phone.locator("#id_password").fill(PASSWORD)
    phone.locator("form button[type=submit]").click()
    phone.wait_for_url(site.base_url + "/")
    phone.locator("[data-aq-toggle=sidebar]").first.click()
    phone.get_by_role("link", name="我的抽查任务").first.click()
    phone.wait_for_url(
        site.base_url + "/draws/tasks/"
    )  # the count below must read the task page, not the home page
    card = phone.get_by_test_id("open-tasks").locator("article").filter(has_text=enterprises[0])
    assert card.count() == 1 and "濂溪区应急管理局" in card.inner_text()
    field.screenshot("draws-tasks-phone")
    card.get_by_test_id("start-inspection").click()
    assert "已开始对" in " ".join(flash_messages(phone))
    assert enterprises[0] in phone.locator("h1").inner_text()
    phone.goto("/draws/tasks/")
    card = phone.get_by_test_id("open-tasks").locator("article").filter(has_text=enterprises[0])
    assert (
        card.get_attribute("data-stage") == "inspecting"
        and card.get_by_test_id("continue-inspection").count() == 1
    )
    phone.set_viewport_size(DESKTOP)
    field.screenshot("draws-tasks-desk")
    field.close(False)
    assert not field.problems, field.problems
