"""One small venue's life on a phone (issue #14, 一店一码), in a real browser at 390×844:

a grid worker registers a venue on the phone card (a missing field first: refused under the field), sees the
owner's copy with the QR code and the PIN, and finds the venue on this week's patrol, where she reports a hazard
there with a photo; a member of the public (another browser, no account) opens the code's
address, sees the venue and the "举报隐患" link; the owner files the monthly self-check with the PIN (a wrong PIN
first: refused politely), answering "否" to one item; the office's venue page then shows that failed item.
Screenshots: var/screens/venue-*.png."""

import pytest

from anquan.grids import services as patrols
from anquan.hazards.models import Attachment, Hazard
from anquan.regions.models import Grid
from anquan.venues.models import SmallVenue

from ..hazards.conftest import PNG
from .conftest import DESKTOP, PHONE, Site
from .pages import flash_messages, submit

pytestmark = [pytest.mark.browser]


def test_register_scan_and_self_check_on_a_phone(phone_site, browser, world, request, tmp_path):
    grid = Grid.objects.create(region=world.t1, code="G-T1-01", name="十里一网格")
    grid.workers.add(world.users["grid_worker"])
    patrols.save_plan(grid, {"frequency": "week"}, actor=world.users["township_office"])  # this week's task
    page = phone_site.login("grid_worker")
    page.goto("/venues/quick/")
    form = page.get_by_test_id("venue-quick-form")
    form.locator("#v-kind").select_option("small_restaurant")
    form.locator("#v-name").fill("老街面馆")
    form.locator("#v-owner_name").fill("王强")
    form.locator("#v-owner_phone").fill("13800138000")
    form.locator("#v-uses_gas").check()
    submit(page, page.get_by_test_id("venue-submit"))
    assert page.get_by_test_id("error-address").text_content().strip() == "地址不能为空"
    phone_site.screenshot("venue-quick-error")
    page.locator("#v-address").fill("十里老街18号")
    submit(page, page.get_by_test_id("venue-submit"))
    copy = page.get_by_test_id("owner-copy")
    pin = copy.get_by_test_id("owner-pin").text_content().strip()
    url = copy.get_by_test_id("owner-copy-url").text_content().strip()
    venue = SmallVenue.objects.get(name="老街面馆")
    assert venue.grid_id == grid.pk and venue.region_code == world.t1.code
    assert len(pin) == 6 and url == f"{phone_site.base_url}/v/{venue.public_code}/"
    phone_site.screenshot("venue-owner-copy")

    # the venue registered today is on this week's patrol: a hazard found there, with a photo
    page.goto("/patrols/today/")
    task = grid.patrol_tasks.get()
    submit(page, page.get_by_test_id(f"open-{task.pk}"))
    submit(page, page.get_by_test_id("check-in-button"))
    page.get_by_test_id(f"abnormal-venue:{venue.pk}").click()
    card = page.get_by_test_id(f"target-venue:{venue.pk}")
    card.get_by_label("隐患描述").fill("后厨液化气钢瓶无泄漏报警装置")
    photo = tmp_path / "钢瓶.png"
    photo.write_bytes(PNG)
    card.locator("input[type=file]").set_input_files(str(photo))
    submit(page, page.get_by_test_id(f"hazard-venue:{venue.pk}"))
    assert flash_messages(page)[0] == "巡查结果已记录，隐患已上报。"
    hazard = Hazard.objects.get(description="后厨液化气钢瓶无泄漏报警装置")
    assert hazard.source == "grid_patrol" and Attachment.objects.filter(hazard=hazard).count() == 1
    phone_site.screenshot("venue-patrol-hazard")

    public = Site(browser, phone_site.base_url, request, PHONE)  # a stranger's phone: no session
    try:
        p = public.page
        p.goto(url)
        assert p.get_by_test_id("public-venue-name").text_content() == "老街面馆"
        assert "检查发现问题" in p.get_by_test_id("public-last-check").text_content()  # the patrol just now
        link = p.get_by_test_id("tip-off-link")
        assert link.get_attribute("href") == f"/public/tip-offs/new/?venue={venue.public_code}"
        assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        public.screenshot("venue-public")
        items = p.locator("[data-item]")
        for i in range(items.count()):
            item = items.nth(i)
            answer = "no" if item.get_attribute("data-item") == "ebike" else "yes"
            item.locator(f"label[for$='-{answer}']").click()
        p.locator("#pin").fill("000000" if pin != "000000" else "111111")
        submit(p, p.get_by_test_id("self-check-submit"))
        assert "密码不正确" in p.get_by_test_id("error-pin").text_content()
        # what was answered is kept: only the PIN is typed again
        assert p.locator("#i-ebike-no").is_checked() and p.locator("#i-exits-yes").is_checked()
        public.screenshot("venue-public-wrong-pin")
        p.locator("#pin").fill(pin)
        submit(p, p.get_by_test_id("self-check-submit"))
        assert "自查已提交" in p.get_by_test_id("self-check-done").text_content()
        assert "检查发现问题" in p.get_by_test_id("public-last-check").text_content()
        public.screenshot("venue-public-done")
    finally:
        public.close(False)
    assert not public.problems, public.problems

    page.goto(f"/venues/{venue.pk}/")
    assert "电动自行车及其蓄电池" in page.get_by_test_id("failed-items").text_content()
    phone_site.screenshot("venue-detail-phone")
    page.set_viewport_size(DESKTOP)
    page.goto("/venues/?check=failed")
    assert "老街面馆" in page.get_by_test_id("venue-table").text_content()
    phone_site.screenshot("venue-list-desktop")
    page.goto(f"/venues/{venue.pk}/")
    phone_site.screenshot("venue-detail-desktop")
