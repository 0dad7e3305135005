"""A 督办函's life as its people meet it: 九江市's office writes one to 修水县 at desktop size (first with a reply day
in the past and no required actions: the errors stand under their fields), issues it (numbered); 修水's county office,
on a 390 px phone, opens it from its to-do list and replies with an attachment; the city office reviews the reply and
closes the letter. Screenshots: var/screens/letters-form-errors-desk.png, letters-detail-desk.png,
letters-todo-phone.png, letters-reply-phone.png, letters-replied-phone.png, letters-closed-desk.png,
letters-list-desk.png, letters-list-phone.png."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.live.conftest import PNG

from .conftest import PHONE, Site

pytestmark = [pytest.mark.browser]


def test_city_issues_a_supervision_letter_xiushui_replies_from_its_phone_and_the_city_closes_it(
    site, browser, world, request, tmp_path
):
    from anquan.letters.models import Letter

    page = site.login("city_office")
    page.goto("/letters/new/")
    page.locator("#f-kind").select_option("supervision")
    page.locator("#f-region").select_option("360424")
    page.locator("#f-subject").fill("加快化工企业重大事故隐患整改")
    page.locator("#f-body").fill("你县部分化工企业重大事故隐患整改进展缓慢。")
    page.locator("#f-due").fill("2020-01-01")
    page.get_by_test_id("issue").click()
    assert page.get_by_test_id("error-reply_due").inner_text() == "回复期限不能早于今天"
    assert page.get_by_test_id("error-required_actions").inner_text() == "工作要求不能为空"
    site.screenshot("letters-form-errors-desk")
    due = timezone.localdate() + dt.timedelta(days=10)
    page.locator("#f-due").fill(due.isoformat())
    page.locator("#f-actions").fill("十日内完成整改\n书面报告整改情况")
    page.get_by_test_id("issue").click()
    number = page.get_by_test_id("letter-number").inner_text()
    assert number == f"九安办督办〔{timezone.localdate().year}〕1号"
    assert page.get_by_test_id("letter-title").inner_text() == "关于加快化工企业重大事故隐患整改的督办函"
    assert page.get_by_test_id("letter-recipient").inner_text() == "修水县人民政府"
    site.screenshot("letters-detail-desk")

    # 修水's county office on its phone: the to-do list, the letter card, the reply with a photo
    photo = tmp_path / "整改验收.png"
    photo.write_bytes(PNG)
    phone = Site(browser, site.base_url, request, PHONE)
    try:
        mobile = phone.login("county_office_b")
        mobile.goto("/todo/")
        mobile.get_by_role("link", name="待回复的函件").first.click()
        phone.screenshot("letters-todo-phone")
        mobile.get_by_test_id("letter-cards").get_by_text("加快化工企业重大事故隐患整改").click()
        mobile.locator("#f-reply").fill("已完成重大事故隐患整改，验收记录见附件。")
        mobile.get_by_test_id("reply-files").set_input_files(str(photo))
        phone.screenshot("letters-reply-phone")
        mobile.get_by_test_id("do-reply").click()
        assert mobile.get_by_test_id("letter-status").inner_text().strip() == "已回复"
        assert mobile.get_by_test_id("reply-file").inner_text() == "整改验收.png"
        phone.screenshot("letters-replied-phone")
        mobile.goto("/letters/")
        phone.screenshot("letters-list-phone")
        assert not phone.problems, phone.problems
    finally:
        phone.close(False)

    # the city office reviews and closes it
    letter = Letter.objects.get(number=number)
    page.goto("/todo/")
    page.get_by_role("link", name="待审核的函件回复").first.click()
    page.get_by_role("link", name=number).click()
    assert "已完成重大事故隐患整改" in page.get_by_test_id("reply-text").inner_text()
    page.locator("#f-opinion").fill("整改到位，同意办结。")
    page.get_by_test_id("do-close").click()
    assert page.get_by_test_id("letter-status").inner_text().strip() == "已办结"
    assert [li.get_attribute("data-action") for li in page.get_by_test_id("events").locator("li").all()] == [
        "create",
        "issue",
        "reply",
        "close",
    ]
    site.screenshot("letters-closed-desk")
    page.goto("/letters/")
    site.screenshot("letters-list-desk")
    letter.refresh_from_db()
    assert letter.status == "closed" and letter.attachments.get().name == "整改验收.png"
