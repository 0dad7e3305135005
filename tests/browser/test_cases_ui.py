"""An enforcement case walked at the desk in a real browser (issue #13 item 5): the inspector applies to open it
naming two investigators, the head approves it (a confirmation first) and sees the step bar, the case-time
limit, the rule version it applies and the 立案审批表 the approval issued; the inspector ends the investigation;
the head's notification with a fine outside the article's range is refused with the article and range on the
page; the case page on a phone. Screenshots: var/screens/cases-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.cases.models import EnforcementCase

from .conftest import PHONE
from .pages import flash_messages, hazard_action, submit

pytestmark = [pytest.mark.browser]


def test_desk_walk_of_a_case(site, world):
    from anquan.accounts.services import create_user
    from anquan.enterprises.models import Enterprise

    from ..conftest import PASSWORD

    Enterprise.objects.filter(pk=world.chem_t1.pk).update(
        address="九江市濂溪区十里大道88号", legal_representative="王建国"
    )
    create_user(
        actor=None,
        username="inspector2",
        role="inspector",
        password=PASSWORD,
        region_code="360402",
        department_name="应急管理局",
        full_name="执法员 王强",
    )
    opened = timezone.localdate() - dt.timedelta(days=30)
    page = site.login("inspector")
    page.goto("/cases/new/")
    page.locator("#c-applied").fill(opened.isoformat())
    page.locator("#c-ent").select_option(world.chem_t1.uscc)
    page.locator("#c-src").select_option("inspection")
    page.locator("#c-facts").fill("重大危险源可燃气体报警装置未定期检测，逾期未改正")
    page.locator("#c-person").fill("张三")
    page.locator("#c-inv").select_option(["inspector", "inspector2"])
    submit(page, page.get_by_test_id("submit-case"))
    case = EnforcementCase.objects.get()
    assert page.get_by_test_id("case-stage").inner_text() == "立案待审批"
    assert page.get_by_test_id("investigators").inner_text() == "inspector、执法员 王强"

    site.context.clear_cookies()
    page = site.login("emergency_supervisor")
    page.goto(f"/cases/{case.pk}/")
    hazard_action(page, "approve", opened_on=opened.isoformat())
    assert page.get_by_test_id("case-stage").inner_text() == "调查取证"
    assert page.locator("[data-testid=step-bar] [data-state=current]").inner_text() == "调查取证"
    assert page.get_by_test_id("countdown").inner_text() == "剩余 60 天"
    assert "未核实" in page.get_by_test_id("time-limit").inner_text()
    papers = page.get_by_test_id("case-document")
    assert papers.count() == 1 and "立案审批表" in papers.first.inner_text()
    assert papers.first.get_by_test_id("download-docx").get_attribute("href").endswith("/download.docx")
    site.screenshot("cases-detail-investigating")

    site.context.clear_cookies()
    page = site.login("inspector")
    page.goto(f"/cases/{case.pk}/")
    hazard_action(page, "finish_investigation", report="违法事实清楚，证据确凿")
    assert page.get_by_test_id("case-stage").inner_text() == "案件审理"

    site.context.clear_cookies()
    page = site.login("emergency_supervisor")
    page.goto(f"/cases/{case.pk}/")
    form = page.get_by_test_id("form-notify")
    form.locator("[name=kind_0]").select_option("fine")
    form.locator("[name=article_0]").select_option("99-overdue")
    form.locator("[name=amount_yuan_0]").fill("300000")
    hazard_action(page, "notify")
    assert (
        "罚款30万元超出《安全生产法》第九十九条（逾期未改正）对单位规定的幅度（5万元至20万元）"
        in " ".join(flash_messages(page))
    )
    site.screenshot("cases-fine-out-of-range")
    case.refresh_from_db()
    assert case.status == "reviewing" and case.proposed_measures == []
    page.set_viewport_size(PHONE)
    page.goto(f"/cases/{case.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    site.screenshot("cases-detail-phone")
