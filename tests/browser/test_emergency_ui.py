"""Emergency plans as their users meet them (issue #17): the enterprise's safety manager, on a phone, uploads the
company's comprehensive plan (published eight months ago, never drilled) and submits it for filing; the county's
emergency department, at a desk, files it with a record number; the county office sees 江西化工 among the units
overdue for a drill (a high-risk unit drills every half year); the manager records today's drill with a photo on
site; the county's overdue list no longer shows the enterprise. Screenshots go to var/screens/em-*.png."""

import re

import pytest
from django.utils import timezone

from anquan.emergency.models import EmergencyPlan
from anquan.emergency.services import add_months

from .pages import CHEM_T1, submit

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00"
    b"\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def overdue_units(page) -> list[str]:
    page.goto("/emergency/overview/")
    return [
        t.strip()
        for t in page.get_by_test_id("overdue-drills")
        .locator("tbody tr[data-unit] td:first-child")
        .all_inner_texts()
    ]


def log_out(page):
    page.locator("nav.aq-topbar form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_manager_uploads_department_files_manager_drills_county_sees_it(site, phone_site, world):
    published = add_months(timezone.localdate(), -8)

    # 1. the safety manager, on a phone: the plan with its document, then submitted for filing
    phone = phone_site.login("enterprise_manager")
    phone.goto("/emergency/plans/")
    submit(phone, phone.get_by_test_id("new-plan"))
    phone.locator("#f-kind").select_option("comprehensive")
    phone.locator("#f-title").fill("江西化工生产安全事故综合应急预案")
    phone.locator("#f-published").fill(published.isoformat())
    phone.locator("#f-files").set_input_files(
        [{"name": "综合应急预案.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    phone_site.screenshot("em-01-phone-new-plan")
    submit(phone, phone.get_by_test_id("save-plan"))
    assert phone.get_by_test_id("plan-document").inner_text().strip().startswith("综合应急预案.pdf")
    submit(phone, phone.get_by_test_id("step-submit").locator("button"))
    assert phone.get_by_test_id("plan-status").get_attribute("data-status") == "submitted"
    plan = EmergencyPlan.objects.get(title="江西化工生产安全事故综合应急预案")
    assert plan.filing_due is not None

    # 2. the county's emergency department, at a desk: files it with a record number
    desk = site.login("emergency_supervisor")
    desk.goto(f"/emergency/plans/{plan.pk}/")
    assert desk.get_by_test_id("days-left").is_visible()
    desk.locator("#f-number").fill("濂应急预备〔2026〕8号")
    submit(desk, desk.get_by_test_id("step-file").locator("button"))
    assert desk.get_by_test_id("plan-status").get_attribute("data-status") == "filed"
    assert "濂应急预备〔2026〕8号" in desk.get_by_test_id("filing-note").inner_text()
    site.screenshot("em-02-desk-filed")
    log_out(desk)

    # 3. the county office: 江西化工 is overdue for a drill (published 8 months ago, every 6 months)
    county = site.login("county_office")
    assert CHEM_T1 in overdue_units(county)
    site.screenshot("em-03-county-overdue")

    # 4. the manager records today's drill on site, with a photo
    phone.goto(f"/emergency/plans/{plan.pk}/")
    submit(phone, phone.get_by_test_id("record-drill"))
    phone.locator("#f-kind").select_option("full_scale")
    phone.locator("#f-count").fill("36")
    phone.locator("#f-participants").fill("生产部、安全部、消防队")
    phone.locator("#f-scenario").fill("液氯储罐法兰泄漏，启动综合应急预案")
    phone.locator("#f-files").set_input_files([{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    phone_site.screenshot("em-04-phone-drill")
    submit(phone, phone.get_by_test_id("save-drill"))
    assert phone.get_by_test_id("drill-photo").count() == 1

    # 5. the county's overdue list no longer shows the enterprise
    assert CHEM_T1 not in overdue_units(county)
    site.screenshot("em-05-county-after")
