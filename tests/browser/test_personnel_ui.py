"""A safety manager on a 390 px phone registers a special-operation worker with a certificate (a wrong ID check digit
first, refused on the field), and 濂溪区's county office sees the coverage change. Screenshots: var/screens/
personnel-form-phone.png, personnel-detail-phone.png, personnel-coverage-phone.png."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser]


def _rate(page) -> str:
    return page.get_by_test_id("coverage-rate").first.inner_text().strip()


def test_a_safety_manager_adds_a_worker_with_a_certificate_and_the_county_sees_it(phone_site, browser, world):
    from anquan.personnel import idnumber

    page = phone_site.login("county_office")
    page.goto("/personnel/coverage/")
    assert _rate(page) == "—"  # no special-operation worker yet

    phone_site.context.clear_cookies()
    page = phone_site.login("enterprise_manager")
    page.goto("/personnel/")
    page.get_by_test_id("person-new").click()
    body = "36040219900101123"
    good = body + idnumber.check_digit(body)
    wrong = body + ("0" if good[-1] != "0" else "1")
    page.locator("#id_name").fill("刘焊工")
    page.locator("#id_id_number").fill(wrong)
    page.locator("input[name=posts][value=special_worker]").check()
    page.get_by_test_id("person-save").click()
    assert "校验位" in page.get_by_test_id("error-id_number").inner_text()
    phone_site.screenshot("personnel-form-phone")
    page.locator("#id_id_number").fill(good)
    page.get_by_test_id("person-save").click()
    assert page.get_by_test_id("person-name").inner_text() == "刘焊工"
    assert page.get_by_test_id("id-number").inner_text() == good  # the enterprise sees its own full number

    page.get_by_test_id("certificate-new").click()
    page.locator("#id_kind").select_option("special_operation")
    page.locator("#id_job_code").select_option("2.1")
    page.locator("#id_number").fill("T360402000099")
    page.locator("#id_issuing_authority").fill("九江市应急管理局")
    page.locator("#id_issued_on").fill("2025-03-01")
    page.locator("#id_expires_on").fill("2031-02-28")
    page.get_by_test_id("certificate-save").click()
    assert page.get_by_test_id("certificate-state").count() == 1
    phone_site.screenshot("personnel-detail-phone")

    phone_site.context.clear_cookies()
    page = phone_site.login("county_office")
    page.goto("/personnel/coverage/")
    assert _rate(page) == "100.0%"
    page.goto("/personnel/")
    assert good[:4] + "*" * 10 + good[-4:] in page.get_by_test_id("person-table").inner_text()  # masked
    phone_site.screenshot("personnel-coverage-phone")
