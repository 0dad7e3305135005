"""The enforcement statistics and the 行政执法公示 page as their users meet them in a real browser: the county
office opens 执法统计 from the menu, chooses the period and reads the seeds' sentence, drills down to a township;
anyone, on a phone and without logging in, reads the published decisions with the individual's name masked.
Screenshots: var/screens/enforcement-stats-desk.png (1366×900), enforcement-stats-phone.png and
enforcement-public-phone.png (390×844)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.enforcement.conftest import decided, decision_document, fine, inspect, team  # noqa: F401

from ..conftest import PASSWORD
from .conftest import PHONE, SCREENS

pytestmark = [pytest.mark.browser]


def test_office_reads_the_figures_and_the_public_reads_the_decisions_on_a_phone(site, team, browser):  # noqa: F811
    today = timezone.localdate()
    inspect(team, team.chem_t1, noncompliant=1)
    case = decided(
        team,
        team.chem_t2,
        [
            fine("102", "30000"),
            fine("99-overdue", "15000", target="person", person="李四光"),
            {"kind": "suspend"},
        ],
        today,
        parties=[{"name": "李四光", "position": "主要负责人"}],
    )
    decision_document(team, case)

    page = site.login("county_office")
    page.get_by_role("link", name="执法统计").first.click()
    page.locator("#df").fill(today.replace(day=1).isoformat())
    page.locator("#dt").fill(today.isoformat())
    page.get_by_role("button", name="查询").click()
    summary = page.get_by_test_id("stats-summary").inner_text()
    assert (
        "全区共检查生产经营单位1家，查处问题隐患1处" in summary and "责令1家停工停产，罚款4.50万元" in summary
    )
    site.screenshot("enforcement-stats-desk")
    page.get_by_test_id(f"drill-{team.t2.code}").click()
    assert team.t2.name in page.locator("h1").inner_text()  # the township's own figures: the fine was there
    assert "检查生产经营单位0家" in page.get_by_test_id("stats-summary").inner_text()
    assert "罚款4.50万元" in page.get_by_test_id("stats-summary").inner_text()

    phone = browser.new_context(
        base_url=site.base_url, viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai"
    )
    office = phone.new_page()
    office.goto("/login/")
    office.locator("#id_username").fill("county_office")
    office.locator("#id_password").fill(PASSWORD)
    office.locator("form button[type=submit]").click()
    office.wait_for_url(site.base_url + "/")
    office.goto(f"/enforcement/stats/?from={today.replace(day=1).isoformat()}&to={today.isoformat()}")
    assert "罚款4.50万元" in office.get_by_test_id("stats-summary").inner_text()
    office.screenshot(path=str(SCREENS / "enforcement-stats-phone.png"), full_page=True)
    phone.close()

    public_context = browser.new_context(base_url=site.base_url, viewport=PHONE, locale="zh-CN")
    public = public_context.new_page()
    public.goto("/public/enforcement/?region=360402")
    assert public.url.endswith("/public/enforcement/?region=360402")  # not sent to the login page
    card = public.get_by_test_id("public-decision")
    assert card.count() == 1
    assert "李某某" in card.inner_text() and "李四光" not in public.content()
    public.screenshot(path=str(SCREENS / "enforcement-public-phone.png"), full_page=True)
    public_context.close()
