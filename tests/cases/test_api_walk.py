"""A full case walked over real HTTP with bearer tokens, each step by the role the law gives it and refused for
the others: 立案申请 (inspector) → 批准立案 (head) → 调查终结 (an investigator, two on the case) → 告知 (head; a fine
outside the article's range refused naming article and range) → 陈述申辩 (investigator) → 法制审核 (head, not an
investigator) → 决定 (head; refused before the statement window closes) → 送达 → 缴款 → 申请结案 → 批准结案."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from anquan.cases.models import CaseEvent, CasePayment, EnforcementCase

from ..browserless import call, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_full_case_by_the_right_roles(live_server, team):
    base = live_server.url
    tokens = {
        name: token_for(base, name)
        for name in (
            "inspector",
            "inspector2",
            "emergency_supervisor",
            "housing_supervisor",
            "enterprise_manager",
        )
    }
    today = timezone.localdate()

    def day(n: int) -> str:
        return (today - dt.timedelta(days=n)).isoformat()

    def post(who, path, body):
        status, _, answer = call(base, "POST", path, body, token=tokens[who])
        return status, json.loads(answer)

    status, case = post(
        "inspector",
        "/api/v1/enforcement-cases",
        {
            "enterprise": team.chem_t1.uscc,
            "source": "inspection",
            "facts": "重大危险源未按规定进行定期检测，逾期未改正",
            "parties": [{"name": "张三", "position": "主要负责人"}],
            "investigators": ["inspector", "inspector2"],
            "applied_on": day(40),
        },
    )
    assert status == 201, case
    assert case["status_label"] == "立案待审批" and case["number"] == f"〔{day(40)[:4]}〕1号"
    move = f"/api/v1/enforcement-cases/{case['id']}/transitions"

    def refused(who, body, code):
        before = EnforcementCase.objects.get(pk=case["id"]).status
        status, answer = post(who, move, body)
        assert status == code, (who, body, answer)
        assert EnforcementCase.objects.get(pk=case["id"]).status == before
        return answer

    def step(who, body):
        status, answer = post(who, move, body)
        assert status == 200, (who, body, answer)
        return answer

    approve = {"action": "approve", "opened_on": day(40)}
    assert refused("inspector", approve, 403)["detail"][0]["message"] == "只有本部门负责人可以执行此操作"
    assert refused("enterprise_manager", approve, 403)
    assert refused("housing_supervisor", approve, 404)  # another department's: not in its scope
    case = step("emergency_supervisor", approve)
    assert case["status_label"] == "调查取证" and case["time_limit_days"] == 90
    assert case["rules_version"]["verified"] == "not_found" and case["countdown"] == "剩余50天"

    finish = {"action": "finish_investigation", "report": "经调查，违法事实清楚，证据确凿"}
    refused("emergency_supervisor", finish, 403)  # the head is not on the case
    case = step("inspector2", finish)

    fine = {"kind": "fine", "article": "99-overdue", "amount_yuan": "300000"}
    notify = {"action": "notify", "notified_on": day(20), "measures": [fine], "flag_complex": True}
    refused("inspector", notify, 403)
    error = refused("emergency_supervisor", notify, 422)["detail"][0]
    assert error["field"] == "measures.0.amount_yuan"
    assert (
        error["message"]
        == "罚款30万元超出《安全生产法》第九十九条（逾期未改正）对单位规定的幅度（5万元至20万元）"
    )
    fine["amount_yuan"] = "80000"
    case = step("emergency_supervisor", notify)
    window = case["statement_window_ends"]
    assert window > day(20)

    decide = {"action": "decide", "decided_on": window, "measures": [fine]}
    error = refused("emergency_supervisor", decide, 409)["detail"][0]
    assert error["code"] == "statement_window_open" and window in error["message"]

    statement = {"action": "statement", "statement_on": day(18), "statement": "当事人称已安排检测"}
    refused("enterprise_manager", statement, 403)
    step("inspector", statement)

    decide["decided_on"] = day(10)
    assert refused("emergency_supervisor", decide, 409)["detail"][0]["code"] == "legal_review_required"
    review = {"action": "legal_review", "opinion": "事实清楚，适用法律正确，罚款在法定幅度内"}
    refused("inspector", review, 403)
    step("emergency_supervisor", review)
    refused("inspector", decide, 403)
    case = step("emergency_supervisor", decide)
    assert case["status_label"] == "已决定待送达" and case["fine_total_yuan"] == "80000.00"

    deliver = {"action": "deliver", "delivered_on": day(9), "method": "in_person"}
    refused("enterprise_manager", deliver, 403)
    case = step("inspector2", deliver)
    assert case["payment_due"] == day(9 - 15)

    case = step("inspector", {"action": "pay", "paid_on": day(5), "amount_yuan": "80000"})
    assert case["payments"] == [
        {"paid_on": day(5), "amount_yuan": "80000.00", "days_late": 0, "surcharge_yuan": "0.00"}
    ]
    refused("emergency_supervisor", {"action": "request_close"}, 403)
    step("inspector", {"action": "request_close", "comment": "罚款已缴清"})
    refused("inspector", {"action": "approve_close"}, 403)
    case = step("emergency_supervisor", {"action": "approve_close"})
    assert case["status_label"] == "已结案" and case["actions"] == []

    status, _, answer = call(
        base, "GET", f"/api/v1/enforcement-cases/{case['id']}", token=tokens["enterprise_manager"]
    )
    assert status == 200 and json.loads(answer)["status"] == "closed"
    steps = list(CaseEvent.objects.filter(case_id=case["id"]).values_list("action", flat=True))
    assert steps == [
        "apply",
        "approve",
        "finish_investigation",
        "notify",
        "statement",
        "legal_review",
        "decide",
        "deliver",
        "pay",
        "request_close",
        "approve_close",
    ]
    assert CasePayment.objects.get().recorded_by.username == "inspector"

    # the case-time limit by the version in force at 立案, over the API: 2026-01-31 → Order 15's 30 days
    # (verified); 2026-02-01 → the version for Order 18 (text not held): the law's 90 days, not verified
    limits = {}
    for filed in ("2026-01-31", "2026-02-01"):
        status, opened = post(
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
        status, opened = post(
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
