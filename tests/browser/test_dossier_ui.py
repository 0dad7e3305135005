"""The hazard dossier says who acts next (issue #12 item 4), walked in a real browser: the county official opens
an overdue hazard on a phone (step bar, owner, "超期 N 天"), urges it, the inspector accepts the rectification on
a desktop with an opinion and a photo, the page shows the photos before and after side by side, and the printed
dossier (一患一档) comes down as PDF. Screenshots: var/screens/dossier-*.png (the PDF's first page as
dossier-pdf-1.png)."""

import io
import subprocess

import pytest
from PIL import Image, ImageDraw

from anquan.core.models import Notification
from anquan.hazards import actions
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from .conftest import SCREENS
from .pages import flash_messages, hazard_action, submit

pytestmark = [pytest.mark.browser]


def _picture(colour: str, words: str, name: str):
    """A camera-sized photo (a coloured scene with a caption) as an upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = Image.new("RGB", (640, 480), colour)
    ImageDraw.Draw(image).rectangle((120, 140, 520, 340), outline="white", width=8)
    ImageDraw.Draw(image).text((140, 160), words, fill="white")
    data = io.BytesIO()
    image.save(data, format="JPEG")
    return SimpleUploadedFile(name, data.getvalue(), content_type="image/jpeg")


def test_dossier_step_bar_urge_acceptance_photos_and_pdf(site, phone_site, world, tmp_path):
    from ..hazards.conftest import inspected

    inspector = world.users["inspector"]
    hazard = inspected(world, deadline="2026-11-30", description="危化品仓库消防通道被货物堵塞")
    reporting.add_attachment(
        hazard, _picture("#a33", "before", "before.jpg"), stage="report", actor=inspector
    )

    # the county official, on a phone: who acts, how late, and 催办
    page = phone_site.login("county_office")
    page.goto(f"/hazards/{hazard.pk}/")
    bar = page.get_by_test_id("step-bar")
    assert bar.locator("[data-state=current]").inner_text().split() == ["整改", "整改中"]
    assert page.get_by_test_id("step-owner").inner_text() == "甲"
    assert page.get_by_test_id("countdown").inner_text().startswith("超期")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing off the side of the phone
    phone_site.screenshot("dossier-phone-overdue")
    page.get_by_test_id("form-urge").locator("[name=comment]").fill("请本周内完成整改")
    submit(page, page.get_by_test_id("form-urge").locator("button[type=submit]"))
    assert "催办" in " ".join(flash_messages(page))
    assert page.get_by_test_id("urge-count").inner_text() == "已催办 1 次"
    assert (
        Notification.objects.filter(user=world.users["enterprise_manager"], title__startswith="催办").count()
        == 1
    )

    # the enterprise rectifies (its own journey is tested elsewhere); the inspector accepts on a desktop
    manager = world.users["enterprise_manager"]
    after = reporting.add_attachment(
        hazard, _picture("#2a6", "after", "after.jpg"), stage="evidence", actor=manager
    )
    actions.transition(
        hazard, "submit", actor=manager, evidence="货物已清走，通道畅通", attachments=[after.pk]
    )
    page = site.login("inspector")
    page.goto(f"/hazards/{hazard.pk}/")
    assert page.get_by_test_id("step-bar").locator("[data-state=current]").inner_text().split() == [
        "验收",
        "待验收",
    ]
    check = tmp_path / "复查.jpg"
    check.write_bytes(_picture("#246", "check", "check.jpg").read())
    page.get_by_test_id("form-accept_rectification").locator("[name=files]").set_input_files(str(check))
    assert "不可撤回" in page.get_by_test_id("form-accept_rectification").get_attribute("data-aq-confirm")
    hazard_action(page, "accept_rectification", opinion="通道已畅通，消防设施完好，同意销号")
    assert [s.get_attribute("data-state") for s in page.get_by_test_id("step-bar").locator("li").all()] == [
        "done"
    ] * 5
    assert page.get_by_test_id("acceptance-opinion").inner_text() == "通道已畅通，消防设施完好，同意销号"
    assert page.get_by_test_id("photos-before").locator("img").count() == 1
    assert page.get_by_test_id("photos-after").locator("img").count() == 1
    assert page.get_by_test_id("photos-acceptance").locator("img").count() == 1
    site.screenshot("dossier-desktop-closed")

    # the printed dossier as PDF, its first page as an image for a human look
    with page.expect_download(
        timeout=120_000
    ) as download:  # LibreOffice converts it: seconds, not milliseconds
        page.get_by_test_id("dossier-pdf").click(no_wait_after=True)
    assert download.value.suggested_filename == f"一患一档_{Hazard.objects.get(pk=hazard.pk).number}.pdf"
    pdf = SCREENS / "dossier.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    for words in ("同意销号", "整改前", "整改后", "验收人（签字）", "催办次数"):
        assert words in text, words
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(SCREENS / "dossier-pdf")], check=True)
