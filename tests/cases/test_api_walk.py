"""A full case walked over real HTTP with bearer tokens, each step by the role the law gives it and refused for
the others: 立案申请 (inspector) → 批准立案 (head) → 调查终结 (an investigator, two on the case) → 告知 with the right to
a hearing (head; a fine outside the article's range refused naming article and range) → 陈述申辩 with a hearing
request (investigator) → 听证 (head) → 法制审核 (head, not an investigator) → 决定 (head; refused before the
statement window closes) → 送达 → 缴款 → 申请结案 → 批准结案, and a referral proposed, approved and transferred.

Each step that produces a document issues it in the same transaction; every document is downloaded as .docx
over HTTP and parsed here (number, party, article, amount, dates), and one as PDF."""

import datetime as dt
import io
import json
import re

import pytest
from django.utils import timezone
from docx import Document as Docx

from anquan.cases.models import CaseEvent, CasePayment, EnforcementCase
from anquan.documents.models import Document
from anquan.documents.render import chinese_date

from ..browserless import call, token_for
from .conftest import ADDRESS, LEGAL_REP

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLE = "《中华人民共和国安全生产法》第九十九条（逾期未改正）"
NUMBER = re.compile(r"^（濂溪）应急(立审|罚告|听告|罚决|结审|移送)〔(\d{4})〕(\d+)号$")


class Client:
    def __init__(self, base: str, names: tuple[str, ...]):
        self.base = base
        self.tokens = {name: token_for(base, name) for name in names}

    def post(self, who: str, path: str, body: dict) -> tuple[int, dict]:
        status, _, answer = call(self.base, "POST", path, body, token=self.tokens[who])
        return status, json.loads(answer)

    def get(self, who: str, path: str) -> tuple[int, object, bytes]:
        return call(self.base, "GET", path, token=self.tokens[who])

    def docx_text(self, who: str, url: str) -> str:
        status, headers, body = self.get(who, url)
        assert status == 200, body[:300]
        assert headers["Content-Type"].startswith("application/vnd.openxmlformats")
        return "\n".join(p.text for p in Docx(io.BytesIO(body)).paragraphs)


@pytest.fixture
def http(live_server, team):
    names = ("inspector", "inspector2", "emergency_supervisor", "housing_supervisor", "enterprise_manager")
    return Client(live_server.url, names)


def test_full_case_by_the_right_roles_with_its_documents(http, team):
    today = timezone.localdate()

    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    status, case = http.post(
        "inspector",
        "/api/v1/enforcement-cases",
        {
            "enterprise": team.chem_t1.uscc,
            "source": "inspection",
            "facts": "重大危险源可燃气体报警装置未定期检测，经责令限期改正逾期未改正",
            "violated": "《中华人民共和国安全生产法》第三十六条第二款",
            "parties": [{"name": "张三", "position": "主要负责人"}],
            "investigators": ["inspector", "inspector2"],
            "applied_on": day(60),
        },
    )
    assert status == 201, case
    assert case["status_label"] == "立案待审批" and case["number"] == f"〔{day(60)[:4]}〕1号"
    assert case["documents"] == []
    move = f"/api/v1/enforcement-cases/{case['id']}/transitions"

    def refused(who, body, code):
        before = EnforcementCase.objects.get(pk=case["id"]).status
        papers = Document.objects.count()
        status, answer = http.post(who, move, body)
        assert status == code, (who, body, answer)
        assert EnforcementCase.objects.get(pk=case["id"]).status == before
        assert Document.objects.count() == papers  # a refused step issues nothing
        return answer

    def step(who, body):
        status, answer = http.post(who, move, body)
        assert status == 200, (who, body, answer)
        return answer

    approve = {"action": "approve", "opened_on": day(60)}
    assert refused("inspector", approve, 403)["detail"][0]["message"] == "只有本部门负责人可以执行此操作"
    refused("enterprise_manager", approve, 403)
    refused("housing_supervisor", approve, 404)  # another department's: not in its scope
    case = step("emergency_supervisor", approve)
    assert case["status_label"] == "调查取证" and case["time_limit_days"] == 90
    assert [d["kind_label"] for d in case["documents"]] == ["立案审批表"]

    finish = {"action": "finish_investigation", "report": "经调查，违法事实清楚，证据确凿"}
    refused("emergency_supervisor", finish, 403)  # the head is not on the case
    step("inspector2", finish)

    fine = {"kind": "fine", "article": "99-overdue", "amount_yuan": "300000"}
    notify = {"action": "notify", "notified_on": day(40), "measures": [fine]}
    refused("inspector", notify, 403)
    error = refused("emergency_supervisor", notify, 422)["detail"][0]
    assert error["field"] == "measures.0.amount_yuan"
    assert (
        error["message"]
        == "罚款30万元超出《安全生产法》第九十九条（逾期未改正）对单位规定的幅度（5万元至20万元）"
    )
    fine["amount_yuan"] = "80000"
    case = step("emergency_supervisor", notify)
    # the version from 2026-02-01 holds no 较大数额: every fine carries the right to a hearing
    assert case["hearing_right"] is True
    assert [d["kind_label"] for d in case["documents"]] == ["立案审批表", "行政处罚告知书", "听证告知书"]
    window = case["statement_window_ends"]

    decide = {"action": "decide", "decided_on": window, "measures": [fine]}
    assert refused("emergency_supervisor", decide, 409)["detail"][0]["code"] == "statement_window_open"

    statement = {"action": "statement", "statement_on": day(38), "hearing_requested": True}
    refused("enterprise_manager", statement, 403)
    step("inspector", statement | {"statement": "当事人称已安排检测，要求听证"})
    decide["decided_on"] = day(20)
    assert refused("emergency_supervisor", decide, 409)["detail"][0]["code"] == "hearing_pending"
    step(
        "emergency_supervisor",
        {"action": "hearing", "hearing_notice_on": day(37), "hearing_held_on": day(22)},
    )
    # a hearing was held: 法制审核 (law art. 58), not by an investigator of the case
    assert refused("emergency_supervisor", decide, 409)["detail"][0]["code"] == "legal_review_required"
    review = {"action": "legal_review", "opinion": "事实清楚，适用法律正确，罚款在法定幅度内"}
    refused("inspector", review, 403)
    step("emergency_supervisor", review)
    refused("inspector", decide, 403)
    case = step("emergency_supervisor", decide)
    assert case["status_label"] == "已决定待送达" and case["fine_total_yuan"] == "80000.00"

    case = step("inspector2", {"action": "deliver", "delivered_on": day(19), "method": "in_person"})
    assert case["payment_due"] == day(19 - 15)
    case = step("inspector", {"action": "pay", "paid_on": day(10), "amount_yuan": "80000"})
    refused("emergency_supervisor", {"action": "request_close"}, 403)
    step("inspector", {"action": "request_close", "comment": "罚款已缴清"})
    refused("inspector", {"action": "approve_close"}, 403)
    case = step("emergency_supervisor", {"action": "approve_close"})
    assert case["status_label"] == "已结案" and case["actions"] == []

    referral = _refer(http, case["id"])
    assert referral["persons"] == ["张三"] and referral["person_count"] == 1

    status, _, answer = http.get("enterprise_manager", f"/api/v1/enforcement-cases/{case['id']}")
    case = json.loads(answer)
    assert status == 200 and case["status"] == "closed"
    steps = list(CaseEvent.objects.filter(case_id=case["id"]).values_list("action", flat=True))
    assert steps == [
        "apply",
        "approve",
        "finish_investigation",
        "notify",
        "statement",
        "hearing",
        "legal_review",
        "decide",
        "deliver",
        "pay",
        "request_close",
        "approve_close",
    ]
    assert CasePayment.objects.get().recorded_by.username == "inspector"
    _read_documents(http, case, today, day)


def _refer(http: Client, case_id: int) -> dict:
    """移送司法机关 over HTTP: two officers propose naming the person, the head approves, an officer transfers."""
    status, referral = http.post(
        "inspector",
        f"/api/v1/enforcement-cases/{case_id}/referrals",
        {
            "officers": ["inspector", "inspector2"],
            "persons": ["张三"],
            "suspected_crime": "危险作业罪",
            "reason": "关闭、破坏直接关系生产安全的监控、报警设备，具有发生重大伤亡事故的现实危险",
        },
    )
    assert status == 201, referral
    move = f"/api/v1/enforcement-referrals/{referral['id']}/transitions"
    status, referral = http.post("inspector", move, {"action": "approve"})
    assert status == 403, referral
    status, referral = http.post("emergency_supervisor", move, {"action": "approve"})
    assert status == 200, referral
    status, referral = http.post(
        "inspector2", move, {"action": "transfer", "police_unit": "九江市公安局濂溪分局"}
    )
    assert status == 200 and referral["status"] == "transferred", referral
    return referral


def _read_documents(http: Client, case: dict, today: dt.date, day) -> None:
    """Every document of the case, downloaded over HTTP as the enterprise that was served it, parsed back."""
    papers = {d["kind_label"]: d for d in case["documents"]}
    assert list(papers) == [
        "立案审批表",
        "行政处罚告知书",
        "听证告知书",
        "行政处罚决定书",
        "结案审批表",
        "案件移送书",
    ]
    texts = {}
    for label, paper in papers.items():
        match = NUMBER.match(paper["number"])
        assert match and match.group(2) == str(today.year) and match.group(3) == "1", paper["number"]
        text = http.docx_text("enterprise_manager", paper["docx_url"])
        assert label in text and paper["number"] in text and "濂溪区应急管理局" in text
        assert "江西化工测试有限公司" in text and ADDRESS in text and LEGAL_REP in text
        texts[label] = text
    on = {n: chinese_date(dt.date.fromisoformat(day(n))) for n in (60, 40, 20)}
    assert on[60] in texts["立案审批表"] and "执法员 王强" in texts["立案审批表"]
    assert "第三十六条第二款" in texts["立案审批表"]
    for label in ("行政处罚告知书", "听证告知书", "行政处罚决定书"):
        assert ARTICLE in texts[label] and "80000.00元（人民币捌万元整）" in texts[label], label
    assert on[40] in texts["行政处罚告知书"] and "陈述和申辩" in texts["行政处罚告知书"]
    assert "5日内向本机关提出" in texts["听证告知书"]
    decision = texts["行政处罚决定书"]
    assert on[20] in decision and "对单位处罚款人民币8万元" in decision
    assert "15日内缴至" in decision and "濂溪区人民政府申请行政复议" in decision
    assert "濂溪区人民法院提起行政诉讼" in decision
    closing = texts["结案审批表"]
    assert papers["立案审批表"]["number"] in closing and papers["行政处罚决定书"]["number"] in closing
    assert "缴纳罚款8万元" in closing and chinese_date(today) in closing
    assert "九江市公安局濂溪分局" in texts["案件移送书"] and "危险作业罪" in texts["案件移送书"]
    assert "张三" in texts["案件移送书"]
    status, headers, pdf = http.get("enterprise_manager", papers["行政处罚决定书"]["pdf_url"])
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")


def test_the_limit_follows_the_version_in_force_at_filing_over_http(http, team):
    """2026-01-31 → Order 15's 30 days (verified); 2026-02-01 → the version for Order 18 (text not held): the
    law's 90 days, not verified."""
    limits = {}
    for filed in ("2026-01-31", "2026-02-01"):
        status, opened = http.post(
            "inspector",
            "/api/v1/enforcement-cases",
            {
                "enterprise": team.chem_t1.uscc,
                "source": "other",
                "facts": f"{filed}立案的案件",
                "investigators": ["inspector", "inspector2"],
                "applied_on": filed,
            },
        )
        assert status == 201, opened
        status, opened = http.post(
            "emergency_supervisor",
            f"/api/v1/enforcement-cases/{opened['id']}/transitions",
            {"action": "approve", "opened_on": filed},
        )
        assert status == 200, opened
        limits[filed] = (opened["time_limit_days"], opened["deadline"], opened["rules_version"]["verified"])
    assert limits == {
        "2026-01-31": (30, "2026-03-02", "verified"),
        "2026-02-01": (90, "2026-05-02", "not_found"),
    }
