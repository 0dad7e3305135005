"""Targeting and the yearly plan in a real browser: the inspector reads the ranked list of 濂溪区 and opens the
top enterprise's breakdown, drafts the 2026 plan (6 × 247 − 120 − 300 = 1062 supervision days), is refused
an override without a reason, gives one, accepts the rest and submits; the department's supervisor finds the
plan in the to-do list and approves it. Then the targeting list on a 390 px phone: one card per enterprise.
Screenshots: var/screens/plans-targets-desk.png, plans-plan-desk.png, plans-approved-desk.png,
plans-targets-phone.png."""

import re

import pytest
from playwright.sync_api import expect

from ..inspectionplans.conftest import seed
from .conftest import PHONE
from .pages import flash_messages, submit

pytestmark = [pytest.mark.browser]


def test_inspector_drafts_supervisor_approves_and_the_list_fits_a_phone(site, world):
    seed(world)
    page = site.login("inspector")
    page.get_by_role("link", name="精准执法对象").first.click()
    page.wait_for_url(re.compile(r"/plans/targets/"))
    rows = page.get_by_test_id("target")
    assert rows.count() == 2  # 应急管理局's own enterprises in 濂溪区
    top = rows.first
    assert top.get_by_test_id("score").inner_text() == "110"
    top.get_by_test_id("breakdown").locator("summary").click()
    breakdown = top.get_by_test_id("factors")
    expect(breakdown).to_be_visible()
    assert "超期未整改重大隐患" in breakdown.inner_text()
    assert "近一年监测报警" in breakdown.inner_text()  # the sensor alarms factor (issue #16) is weighed
    assert page.get_by_test_id("rule-unverified").is_visible()  # the weights are not verified
    site.screenshot("plans-targets-desk")

    page.goto("/plans/")
    submit(page, page.get_by_test_id("new-plan"))
    page.locator("#n-year").select_option("2026")
    page.locator("#n-inspectors").fill("6")
    assert page.locator("#n-wd").input_value() == "247"  # the rule version's figure
    page.locator("#n-other").fill("120")
    page.locator("#n-non").fill("300")
    submit(page, page.get_by_test_id("create-plan"))
    assert page.get_by_test_id("supervision-days").inner_text() == "1062"
    first = page.get_by_test_id("entry-form").first
    first.locator("[name=frequency]").fill("6")
    submit(page, first.locator("button"))
    assert any("须说明理由" in m for m in page.get_by_test_id("form-errors").all_inner_texts())
    first = page.get_by_test_id("entry-form").first
    first.locator("[name=frequency]").fill("6")
    first.locator("[name=reason]").fill("去年发生事故，增加检查")
    submit(page, first.locator("button"))
    assert "已调整：去年发生事故，增加检查" in page.get_by_test_id("decision").first.inner_text()
    submit(page, page.get_by_test_id("accept-all"))
    site.screenshot("plans-plan-desk")
    submit(page, page.get_by_test_id("submit"))
    assert page.get_by_test_id("plan-status").inner_text() == "待审批"
    assert page.get_by_test_id("approve").count() == 0  # not the submitter's to approve
    plan_url = page.url

    page.locator("nav.aq-topbar form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))
    page = site.login("emergency_supervisor")
    page.goto("/todo/")
    page.get_by_role("link", name=re.compile("待审批的年度监督检查计划")).click()
    page.get_by_test_id("plans").get_by_role("link").first.click()
    page.wait_for_url(plan_url)
    page.locator("[name=comment]").fill("同意")
    submit(page, page.get_by_test_id("approve"))
    assert page.get_by_test_id("plan-status").inner_text() == "已批准"
    assert "计划已批准" in " ".join(flash_messages(page))
    site.screenshot("plans-approved-desk")

    page.set_viewport_size(PHONE)
    page.goto("/plans/targets/?region=360402")
    assert page.locator("table[data-testid=targets] thead").is_hidden()  # cards, not a table
    card = page.get_by_test_id("target").first
    box = card.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    card.get_by_test_id("breakdown").locator("summary").click()
    site.screenshot("plans-targets-phone")
