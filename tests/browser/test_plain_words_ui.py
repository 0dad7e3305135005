"""A county official's walk through plain language and finding things (issue #12 items 7 and 8), in the
browser at 1366×900: the 操作指引 of the ledger, the search for "jxhg" ranked with its total, the
enterprise list's page size and page jump, the list kept when coming back through the menu, an accident
form that names the wrong field under it, and the audit log in words. Screenshots: var/screens/words-*.png."""

import pytest
from playwright.sync_api import expect

from anquan.core.models import AuditEntry

from ..conftest import make_enterprise

pytestmark = pytest.mark.django_db(transaction=True)


def test_county_official_finds_and_reads(site, world):
    for n in range(30):
        make_enterprise(world.t1, "construction", f"濂溪建设{n:02d}工程有限公司", "360402", 100 + n)
    page = site.login(world.users["county_office"].username)

    page.goto("/hazards/")
    help_box = page.get_by_test_id("page-help")
    help_box.locator("summary").click()
    assert "筛选条件仍然保留" in help_box.inner_text()
    site.screenshot("words-ledger-help", full_page=False)

    page.locator("input[name=q][type=search]").first.fill("jxhg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=jxhg")
    first = page.locator(".list-group-item .fw-semibold").first.inner_text()
    assert first == "江西化工测试有限公司"
    assert "共找到 2 家企业" in page.get_by_test_id("search-total").inner_text()
    site.screenshot("words-search")

    page.goto("/enterprises/?industry=construction")
    pager = page.get_by_test_id("pager-jump")
    pager.locator("select[name=size]").select_option("10")
    pager.locator("button").click()
    page.wait_for_url("**size=10**")
    page.get_by_test_id("pager-jump").locator("input[name=page]").fill("3")
    page.get_by_test_id("pager-jump").locator("button").click()
    page.wait_for_url("**page=3**")
    assert "第 3/4 页" in page.get_by_test_id("pager").inner_text()
    site.screenshot("words-enterprise-pager")

    page.locator("table a[href^='/enterprises/']").first.click()
    page.wait_for_url("**/enterprises/*/")
    page.locator("#sidebar a[href='/enterprises/']").click()  # back through the menu
    page.wait_for_url("**/enterprises/?*")
    assert "第 3/4 页" in page.get_by_test_id("pager").inner_text()
    assert "industry=construction" in page.url and "size=10" in page.url

    page.goto("/accidents/new/")
    page.locator("#a-d").fill("两人")
    page.locator("button.btn-primary").click()
    expect(page.get_by_test_id("error-deaths")).to_be_visible()
    expect(page.get_by_test_id("error-summary")).to_be_visible()
    site.screenshot("words-accident-form-errors")

    assert AuditEntry.objects.exists()
    page.goto("/audit/")
    text = page.get_by_test_id("audit-entries").inner_text()
    assert "True" not in text and "root-fixture" in text
    site.screenshot("words-audit-log", full_page=False)
