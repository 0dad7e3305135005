"""The yearly risk report as its users meet it in a real browser: the county office sees that nobody in
濂溪区 has reported yet; the enterprise's manager reads the preview of the report, fills in the
statement and submits it (a second tap creates nothing); the county office is notified, sees the
coverage change, and accepts the report. Screenshots go to var/screens/rr-*.png."""

import re

import pytest
from django.apps import apps
from django.utils import timezone

from anquan.riskpoints import services as points
from anquan.riskreports.models import RiskReport
from anquan.standards import seed

from ..riskpoints.helpers import new_point
from .pages import CHEM_T1, flash_messages, submit

pytestmark = [pytest.mark.browser]

YEAR = timezone.localdate().year


def coverage_total(page) -> dict:
    box = page.get_by_test_id("coverage-total")
    return {
        key: box.get_by_test_id(f"total-{key}").inner_text().strip()
        for key in ("enterprises", "reported", "accepted", "not-reported", "coverage")
    }


def township_row(page, code: str) -> list[str]:
    cells = page.get_by_test_id("coverage-table").locator(f"tr[data-region='{code}'] td").all_inner_texts()
    return [c.strip() for c in cells]


def not_reported(page) -> list[str]:
    return [
        t.strip()
        for t in page.get_by_test_id("not-reported").locator("tbody tr td:first-child a").all_inner_texts()
    ]


def log_out(page):
    page.locator("nav.aq-topbar form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_enterprise_submits_and_the_county_sees_coverage_and_accepts(site, world):
    seed.load(apps)  # the band tables: an earlier transactional test may have flushed the migration's rows
    manager = world.users["enterprise_manager"]
    point = new_point(world)  # 液氯储罐区, LEC 3·6·15 = 270 → orange
    points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=manager)

    # 1. the county office: three enterprises in 濂溪区, none reported
    page = site.login("county_office")
    page.get_by_role("link", name="风险报告").first.click()
    page.get_by_test_id("coverage-link").click()
    assert coverage_total(page) == {
        "enterprises": "3",
        "reported": "0",
        "accepted": "0",
        "not-reported": "3",
        "coverage": "0.0%",
    }
    assert CHEM_T1 in not_reported(page)
    site.screenshot("rr-01-coverage-before")
    log_out(page)

    # 2. the enterprise: preview, statement, submit; the same form submitted again from a second tab
    # (opened before the first submission) changes nothing
    site.login("enterprise_manager")
    page.goto("/risk/reports/")
    page.get_by_test_id(f"prepare-{YEAR}").click()
    snapshot = page.get_by_test_id("snapshot")
    assert "液氯储罐区" in snapshot.get_by_test_id("snapshot-points").inner_text()
    assert snapshot.get_by_test_id("snapshot-level").inner_text().strip() == "较大风险"
    other_tab = site.context.new_page()
    other_tab.goto(page.url)
    page.locator("#r-principal").fill("王总")
    page.locator("#r-contact").fill("李安全")
    page.locator("#r-phone").fill("0792-8888888")
    page.locator("#r-statement").fill("主要风险为液氯储存，已落实双人巡检和泄漏报警联锁。")
    site.screenshot("rr-02-prepare")
    submit(page, page.get_by_test_id("submit"))
    assert page.get_by_test_id("report-status").inner_text().strip() == "已提交"
    assert "风险报告已提交监管部门。" in flash_messages(page)
    report = RiskReport.objects.get()
    other_tab.locator("#r-statement").fill("另一份说明")
    response = submit(other_tab, other_tab.get_by_test_id("submit"))
    assert response.status == 409
    assert "不能重复提交" in other_tab.get_by_test_id("form-errors").inner_text()
    assert other_tab.get_by_test_id("report-status").inner_text().strip() == "已提交"
    other_tab.close()
    report.refresh_from_db()
    assert report.events.filter(action="submit").count() == 1
    assert report.statement == "主要风险为液氯储存，已落实双人巡检和泄漏报警联锁。"
    log_out(page)

    # 3. the county office is told, sees the coverage change, and accepts
    site.login("county_office")
    page.get_by_test_id("bell").click()
    page.get_by_text(f"{CHEM_T1}提交了{YEAR}年度安全生产风险报告").first.click()
    page.wait_for_url(re.compile(rf"/risk/reports/{report.pk}/$"))
    assert "液氯储罐区" in page.get_by_test_id("snapshot-points").inner_text()
    page.goto(f"/risk/reports/coverage/?year={YEAR}")
    assert coverage_total(page) == {
        "enterprises": "3",
        "reported": "1",
        "accepted": "0",
        "not-reported": "2",
        "coverage": "33.3%",
    }
    # its township: 江西化工测试 reported, 濂溪建筑工程 not: 1 of 2
    assert township_row(page, world.t1.code)[1:] == ["2", "1", "0", "1", "50.0%"]
    assert CHEM_T1 not in not_reported(page)
    site.screenshot("rr-03-coverage-after")
    page.goto(f"/risk/reports/{report.pk}/")
    page.locator("#a-comment").fill("内容完整，同意备案。")
    submit(page, page.get_by_test_id("accept"))
    assert page.get_by_test_id("report-status").inner_text().strip() == "审核通过"
    history = page.get_by_test_id("report-history").inner_text()
    assert "county_office" in history and "内容完整，同意备案。" in history
    site.screenshot("rr-04-accepted")
    page.goto(f"/risk/reports/coverage/?year={YEAR}")
    assert coverage_total(page)["accepted"] == "1"
    report.refresh_from_db()
    assert report.status == "accepted"
