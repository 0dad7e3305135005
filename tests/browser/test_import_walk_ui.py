"""高安市's county office imports its 2024 work points on a campaign: an empty paste is refused under the field, the
pasted text previews 34 tasks with their units coloured (recognised / flagged), one flagged name mapped fixes both
lines naming it, the tasks are created and listed. Screenshots: var/screens/import-new-error-desk.png,
import-preview-desk.png, import-preview-phone.png, import-result-desk.png, import-result-phone.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.campaigns.import_fixtures import gaoan_fixture, seed_text  # noqa: F401

from .conftest import PHONE, Site

pytestmark = [pytest.mark.browser]


def test_an_office_pastes_maps_one_name_and_creates_the_tasks(site, browser, gaoan, request):
    campaign, _ = gaoan
    page = site.login("gaoan_office")
    page.goto(f"/campaigns/{campaign.pk}/import/")
    page.get_by_test_id("import-preview").click()
    assert "请粘贴任务清单的文本" in page.get_by_test_id("error-text").inner_text()
    site.screenshot("import-new-error-desk")
    page.locator("#i-text").fill(seed_text())
    page.get_by_test_id("import-preview").click()
    expect(page.get_by_test_id("import-line")).to_have_count(34)
    assert "142" in page.get_by_test_id("import-counts").inner_text()
    assert page.locator("[data-testid=unit][data-flagged='1']").count() == 27
    form = page.get_by_test_id("map-form").filter(has_text="市消防救援队")
    form.locator("select[name=kind]").select_option("department")
    form.locator("select[name=department]").select_option(label="消防救援")
    form.get_by_role("button").click()
    expect(page.locator("[data-testid=unit][data-flagged='1']")).to_have_count(25)  # both lines naming it
    assert page.get_by_test_id("flagged-name").filter(has_text="市消防救援队").count() == 0
    site.screenshot("import-preview-desk")
    phone = Site(browser, site.base_url, request, PHONE)
    phone.login("gaoan_office")
    phone.page.goto(f"/campaigns/{campaign.pk}/import/")
    phone.screenshot("import-new-phone")
    phone.page.goto(page.url)
    phone.screenshot("import-preview-phone")
    page.get_by_test_id("import-apply").click()
    assert "34" in page.get_by_test_id("import-result").inner_text()
    expect(page.get_by_test_id("campaign-tasks").locator("tbody tr")).to_have_count(34)
    site.screenshot("import-result-desk")
    phone.page.goto(page.url)
    phone.screenshot("import-result-phone")
    phone.close(False)
    assert not phone.problems, phone.problems
