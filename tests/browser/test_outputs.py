"""Ready-to-file outputs in the browser (issue #12 item 6): the hazard ledger printed by Chromium (`page.pdf`)
is A4 landscape with every column of the table; the risk notice card's QR code opens, without an account,
a read-only page of the point that fits a phone."""

import re
import shutil
import subprocess

from django.utils import timezone

from anquan.hazards import services as reporting
from anquan.riskpoints import cards
from anquan.riskpoints import services as points

from ..riskpoints.helpers import new_point
from .conftest import PHONE, SCREENS

LONG_NAME = "九江长江石化储运有限公司第二分公司"


def pdf_text(pdf: bytes, tmp_path) -> list[str]:
    """The text of each page, as pdftotext (poppler-utils) reads it with the layout kept."""
    assert shutil.which("pdftotext"), "poppler-utils is needed: scripts/test installs it"
    path = tmp_path / "ledger.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True)
    return out.stdout.split("\f")


def test_the_printed_ledger_keeps_every_column(site, world, tmp_path):
    inspector = world.users["inspector"]
    for n in range(12):
        reporting.report_hazard(
            {
                "enterprise": world.chem_t1.uscc,
                "source": "inspection",
                "description": f"第{n + 1}号储罐区可燃气体检测报警仪未定期检定，报警值设置不符合规范要求",
            },
            actor=inspector,
        )
    page = site.login(world.users["county_office"].username)
    page.goto("/hazards/")
    headers = [h.strip() for h in page.locator("[data-testid=hazard-table] thead th").all_inner_texts()]
    assert len(headers) >= 8 and all(headers)
    page.emulate_media(media="print")
    site.screenshot("outputs-ledger-print-media")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (SCREENS / "outputs-ledger.pdf").write_bytes(pdf)
    # A4 landscape: 842 × 595 points
    sizes = {
        tuple(round(float(x)) for x in m) for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    }
    assert sizes == {(842, 595)}, sizes
    pages = pdf_text(pdf, tmp_path)
    first = pages[0]
    header_line = next(line for line in first.splitlines() if headers[1] in line)
    for header in headers:  # every column of the table is on the printed page, in the screen's order
        assert header in header_line, (header, header_line)
    positions = [header_line.index(h) for h in headers[1:]]
    assert positions == sorted(positions)
    assert "第12号储罐区" in "".join(pages) or "第1号储罐区" in "".join(pages)
    for hidden in ("导出Excel", "筛选"):  # the screen's controls are not printed
        assert hidden not in first
    # headed as the Excel export is: whose ledger (the office's region) and 截至 the day it was printed
    today = timezone.localdate()
    region = world.users["county_office"].region.name
    assert f"{region}隐患排查治理台账" in first
    assert f"截至{today:%Y年%m月%d日}" in first


def test_the_card_qr_code_opens_a_public_page_on_a_phone(
    browser, live_server, transactional_db, world, request
):
    from .conftest import Site

    actor = world.users["enterprise_manager"]
    world.chem_t1.safety_manager_name, world.chem_t1.safety_manager_phone = "李安全", "13900001111"
    world.chem_t1.save(update_fields=["safety_manager_name", "safety_manager_phone"])
    point = new_point(world)
    points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=actor)
    points.add_measure(
        point, {"kind": "ppe", "tier": "post", "description": "佩戴正压式空气呼吸器"}, actor=actor
    )
    url = cards.card_data(point, live_server.url + "/")["url"]

    phone = Site(browser, live_server.url, request, PHONE)  # nobody logged in: a passer-by's phone
    try:
        page = phone.page
        page.goto(url)
        assert page.url == url  # no redirect to the login page
        assert page.get_by_test_id("point-name").inner_text() == "液氯储罐区"
        assert "较大风险" in page.get_by_test_id("point-level").inner_text()
        assert "佩戴正压式空气呼吸器" in page.get_by_test_id("measures").inner_text()
        phones = page.get_by_test_id("phones").inner_text()
        assert "119" in phones and "120" in phones and "13900001111" in phones
        assert page.locator("form, input, nav").count() == 0  # read-only: nothing to fill, no menu
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot("outputs-public-point-phone")
        assert not phone.problems, phone.problems
    finally:
        phone.close(False)
