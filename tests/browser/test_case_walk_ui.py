"""A whole enforcement case walked through the pages in a real browser (issue #13 must-show), each step by the role
cases/workflow.py gives it — the inspector (an investigator) and the department head, each logged in once in
their own browser: 立案申请 → 批准立案 (a confirmation first; step bar, case-time limit, rule version 未核实) → 调查终结
→ 告知 (a fine outside the article's range refused, the message under the amount) → 陈述申辩 → 决定 → 送达 → 缴款 →
申请结案 → 批准结案. The document each step issues appears on the case page; the case page fits a phone.
Screenshots: var/screens/case-*.png."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.cases.models import EnforcementCase

from ..cases.conftest import team  # noqa: F401 - the fixture: a second inspector, the party's address
from .conftest import DESKTOP, PHONE, Site
from .pages import hazard_action, submit

pytestmark = [pytest.mark.browser]


def _kinds(page) -> list[str]:
    return [
        k for k in page.get_by_test_id("case-document").evaluate_all("els => els.map(e => e.dataset.kind)")
    ]


@pytest.mark.usefixtures("team")
def test_a_case_from_filing_to_closing_through_the_pages(site, world, browser, live_server, request):
    today = timezone.localdate()

    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    officer = site.login("inspector")
    head_site = Site(browser, live_server.url, request, DESKTOP)
    try:
        head = head_site.login("emergency_supervisor")
        _walk(officer, head_site, head, world, day)
    finally:
        head_site.close(False)
    assert not head_site.problems, head_site.problems


def _walk(officer, head_site, head, world, day) -> None:
    officer.goto("/cases/new/")
    officer.locator("#c-applied").fill(day(60))
    officer.locator("#c-ent").select_option(world.chem_t1.uscc)
    officer.locator("#c-src").select_option("inspection")
    officer.locator("#c-facts").fill("重大危险源可燃气体报警装置未定期检测，经责令限期改正逾期未改正")
    officer.locator("#c-person").fill("张三")
    officer.locator("#c-inv").select_option(["inspector", "inspector2"])
    submit(officer, officer.get_by_test_id("submit-case"))
    case = EnforcementCase.objects.get()
    url = f"/cases/{case.pk}/"
    assert officer.get_by_test_id("case-stage").inner_text() == "立案待审批"
    assert officer.get_by_test_id("investigators").inner_text() == "inspector、执法员 王强"

    head.goto(url)
    hazard_action(head, "approve", opened_on=day(60))
    assert head.locator("[data-testid=step-bar] [data-state=current]").inner_text() == "调查取证"
    assert head.get_by_test_id("countdown").inner_text() == "剩余 30 天"
    assert "未核实" in head.get_by_test_id("time-limit").inner_text()
    assert _kinds(head) == ["case_filing"]
    link = head.get_by_test_id("case-document").first.get_by_test_id("download-docx")
    assert link.get_attribute("href").endswith("/download.docx")
    head_site.screenshot("case-1-filed")

    officer.goto(url)
    hazard_action(officer, "finish_investigation", report="经调查，违法事实清楚，证据确凿")
    assert officer.get_by_test_id("case-stage").inner_text() == "案件审理"

    head.goto(url)
    form = head.get_by_test_id("form-notify")
    form.locator("[name=notified_on]").fill(day(40))
    form.locator("[name=kind_0]").select_option("fine")
    form.locator("[name=article_0]").select_option("99-overdue")
    form.locator("[name=amount_yuan_0]").fill("300000")
    answer = hazard_action(head, "notify")
    assert answer.status == 422
    form = head.get_by_test_id("form-notify")
    assert (
        form.get_by_test_id("error-amount_yuan_0").inner_text()
        == "罚款30万元超出《安全生产法》第九十九条（逾期未改正）对单位规定的幅度（5万元至20万元）"
    )
    assert form.locator("[name=amount_yuan_0]").input_value() == "300000"  # kept, to correct
    head_site.screenshot("case-2-fine-refused")
    form.locator("[name=amount_yuan_0]").fill("80000")
    hazard_action(head, "notify")
    assert head.get_by_test_id("case-stage").inner_text() == "已告知"
    assert _kinds(head) == ["case_filing", "penalty_notice", "hearing_notice"]

    officer.goto(url)
    hazard_action(officer, "statement", statement_on=day(38), statement="当事人称已安排检测，不要求听证")

    head.goto(url)
    form = head.get_by_test_id("form-decide")
    form.locator("[name=decided_on]").fill(day(20))
    form.locator("[name=kind_0]").select_option("fine")
    form.locator("[name=article_0]").select_option("99-overdue")
    form.locator("[name=amount_yuan_0]").fill("80000")
    hazard_action(head, "decide")
    assert head.get_by_test_id("decision").inner_text().startswith(day(20))
    assert _kinds(head)[-1] == "penalty_decision"

    officer.goto(url)
    officer.get_by_test_id("form-deliver").locator("[name=method]").select_option("in_person")
    hazard_action(officer, "deliver", delivered_on=day(19))
    hazard_action(officer, "pay", paid_on=day(10), amount_yuan="80000")
    assert officer.get_by_test_id("paid").inner_text().startswith("80000.00 / 80000.00")
    hazard_action(officer, "request_close", comment="罚款已缴清")

    head.goto(url)
    hazard_action(head, "approve_close")
    assert head.get_by_test_id("case-stage").inner_text() == "已结案"
    assert _kinds(head) == [
        "case_filing",
        "penalty_notice",
        "hearing_notice",
        "penalty_decision",
        "case_closing",
    ]
    assert head.locator("[data-testid=step-bar] [data-state=current]").count() == 0
    head_site.screenshot("case-3-closed")
    case.refresh_from_db()
    assert case.status == "closed" and case.paid_yuan == case.fine_total_yuan == 80000

    head.set_viewport_size(PHONE)
    head.goto(url)
    assert head.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    head_site.screenshot("case-4-closed-phone")
