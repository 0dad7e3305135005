"""Official documents in a real browser: the enterprise page's 执法文书 section lists what was issued, the document's
page shows number, party and hash with Word/PDF downloads, the issuing department's supervisor voids a wrong one
(number kept), the list filters by kind. Screenshots: var/screens/documents-*.png (the printed decision's first
page as documents-decision-pdf-1.png)."""

import subprocess

import pytest

from anquan.documents import services
from anquan.documents.choices import DocumentKind

from ..documents.conftest import sample
from .conftest import SCREENS
from .pages import flash_messages, submit

pytestmark = [pytest.mark.browser]


def test_documents_on_the_enterprise_page_detail_void_and_list(site, phone_site, world):
    inspector = world.users["inspector"]
    unit = services.unit_of(inspector)
    order = services.issue(
        DocumentKind.RECTIFICATION_ORDER,
        unit,
        world.chem_t1,
        sample(DocumentKind.RECTIFICATION_ORDER, world.chem_t1),
        inspector,
    )
    decision = services.issue(
        DocumentKind.PENALTY_DECISION,
        unit,
        world.chem_t1,
        sample(DocumentKind.PENALTY_DECISION, world.chem_t1),
        inspector,
    )

    page = site.login("emergency_supervisor")
    page.goto(f"/enterprises/{world.chem_t1.pk}/")
    section = page.get_by_test_id("enterprise-documents")
    assert "执法文书 · 2" in section.inner_text()
    assert order.number in section.inner_text() and decision.number in section.inner_text()
    site.screenshot("documents-enterprise-section")

    section.get_by_text(decision.number).click()
    assert page.get_by_test_id("document-number").inner_text() == decision.number
    assert page.get_by_test_id("sha256").inner_text() == decision.sha256
    assert page.get_by_test_id("party-name").inner_text() == world.chem_t1.name
    basis = page.get_by_test_id("rule-unverified").inner_text()  # the numbering rule is only partly verified
    assert basis.startswith("依据：无全国统一的编号规定") and "部分核实" in basis
    with page.expect_download(timeout=120_000) as download:  # LibreOffice converts it: seconds
        page.get_by_test_id("download-pdf").click(no_wait_after=True)
    assert download.value.suggested_filename == f"行政处罚决定书_{decision.number}_{world.chem_t1.name}.pdf"
    pdf = SCREENS / "documents-decision.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    assert decision.number in text.replace(" ", "")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(SCREENS / "documents-decision-pdf"),
        ],
        check=True,
    )
    site.screenshot("documents-detail")

    page.goto(f"/documents/{order.pk}/")
    page.get_by_test_id("void-form").locator("[name=reason]").fill("整改期限写错")
    submit(page, page.get_by_test_id("void-form").locator("button[type=submit]"))
    assert "编号不再使用" in " ".join(flash_messages(page))
    assert page.get_by_test_id("document-status").inner_text() == "已作废"
    assert "整改期限写错" in page.get_by_test_id("void-reason").inner_text()
    assert page.get_by_test_id("void-form").count() == 0
    site.screenshot("documents-voided")

    page.goto("/documents/")
    page.locator("#f-kind").select_option("penalty_decision")
    submit(page, page.get_by_test_id("document-filters").locator("button[type=submit]"))
    rows = page.get_by_test_id("document-table").locator("tbody tr")
    assert rows.count() == 1 and decision.number in rows.first.inner_text()
    site.screenshot("documents-list")

    # the enterprise reads what it was served, on a phone
    phone = phone_site.login("enterprise_manager")
    phone.goto(f"/documents/{decision.pk}/")
    assert phone.get_by_test_id("document-number").inner_text() == decision.number
    assert phone.get_by_test_id("void-form").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone_site.screenshot("documents-phone-detail")
