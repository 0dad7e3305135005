"""A public tip-off as its people meet it, all on a 390 px phone: a member of the public, without an account, files a
hazard tip-off with a photo (county, then township), leaves name and phone, and gets the query code; 濂溪区's county
office finds it in its to-do list, reads the reporter's identity (an audit entry), accepts it for 应急管理局 and starts
the verification; the public status page then shows 核查中 and nothing internal. Screenshots: var/screens/
tipoff-form-phone.png, tipoff-code-phone.png, tipoff-office-phone.png, tipoff-status-phone.png; at desktop size
tipoff-office-desk.png and tipoff-stats-desk.png."""

from __future__ import annotations

import pytest

from tests.live.conftest import PNG

from .conftest import DESKTOP, PHONE, SCREENS

pytestmark = [pytest.mark.browser]


def test_the_public_files_a_tip_off_and_follows_it_while_the_county_office_handles_it(
    phone_site, browser, world, tmp_path
):
    from anquan.core.models import AuditEntry
    from anquan.tipoffs.models import TipOff

    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    # the public: a phone, no login
    context = browser.new_context(base_url=phone_site.base_url, viewport=PHONE, locale="zh-CN")
    public = context.new_page()
    public.goto("/public/tip-offs/new/")
    assert "/login" not in public.url
    with public.expect_navigation():
        public.locator("#f-county").select_option("360402")  # lists 濂溪区's townships
    public.locator("#f-region").select_option(world.t1.code)
    public.get_by_label("事故隐患").check()
    public.locator("#f-description").fill("小区地下车库有人给电动车飞线充电")
    public.locator("#f-address").fill("十里街道幸福小区3栋地下车库")
    public.locator("#f-photos").set_input_files(str(photo))
    public.locator("#f-name").fill("陈阿姨")
    public.locator("#f-phone").fill("13912340000")
    assert "加密保存" in public.content()  # the form says why and how the name and phone are kept
    SCREENS.mkdir(parents=True, exist_ok=True)
    public.screenshot(path=str(SCREENS / "tipoff-form-phone.png"), full_page=True)
    public.get_by_test_id("submit").click()
    code = public.get_by_test_id("tracking-code").inner_text().strip()
    assert code.startswith("JB") and len(code) == 10
    assert public.get_by_test_id("stage").inner_text() == "已收到"
    public.screenshot(path=str(SCREENS / "tipoff-code-phone.png"), full_page=True)
    tipoff = TipOff.objects.get(tracking_code=code)
    assert tipoff.photos.count() == 1 and tipoff.has_contact

    # the county office, on its phone: the to-do, the tip-off, the identity (audited), accept and verify
    page = phone_site.login("county_office")
    page.goto("/todo/")
    page.get_by_role("link", name="待受理的举报").first.click()
    page.get_by_role("link", name=code).click()
    assert page.get_by_test_id("tipoff-status").inner_text().strip() == "已收到"
    assert page.get_by_test_id("photo").count() == 1
    page.get_by_test_id("show-identity").click()
    identity = page.get_by_test_id("identity").inner_text()
    assert "陈阿姨" in identity and "13912340000" in identity
    assert (
        AuditEntry.objects.filter(action="view", object_id=str(tipoff.pk), comment="查看举报人身份").count()
        == 1
    )
    page.locator("#f-department").select_option("应急管理局")
    page.get_by_test_id("do-accept").click()
    assert page.get_by_test_id("tipoff-status").inner_text().strip() == "已受理"
    page.locator("#f-note").fill("物业经理称周末整改，核查时注意")
    page.get_by_test_id("add-note").click()
    page.get_by_test_id("do-verify").click()
    assert page.get_by_test_id("tipoff-status").inner_text().strip() == "核查中"
    phone_site.screenshot("tipoff-office-phone")

    # the public follows it with the code: the stage, nothing internal
    public.goto(f"/public/tip-offs/{code}/")
    assert public.get_by_test_id("stage").inner_text() == "核查中"
    text = public.content()
    for internal in ("物业经理", "陈阿姨", "13912340000", "county_office", "应急管理局"):
        assert internal not in text, internal
    public.screenshot(path=str(SCREENS / "tipoff-status-phone.png"), full_page=True)
    context.close()

    # the same pages at desktop size, and the statistics (one tip-off, replied)
    page.set_viewport_size(DESKTOP)
    phone_site.screenshot("tipoff-office-desk")
    page.goto("/tip-offs/stats/?region=360402")
    assert page.get_by_test_id("total").inner_text() == "1"
    phone_site.screenshot("tipoff-stats-desk")
