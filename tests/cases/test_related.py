"""Referral to the police (two officers, the head's decision within 3 days, transfer within 24 hours, the
police's answer) and the dishonesty list (period of the version in force, no early removal before 12 months);
the to-do centre shows each case's next step to the person who must take it."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.cases import actions, related, todo
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.todo import items_for
from anquan.documents import services as documents

from ..conftest import login
from .conftest import opened

pytestmark = pytest.mark.django_db


def test_referral_times_are_recorded_and_late_steps_marked(team):
    case = opened(team, timezone.localdate() - dt.timedelta(days=20))
    inspector, boss = team.users["inspector"], team.users["emergency_supervisor"]
    raw = {"officers": ["inspector"], "suspected_crime": "危险作业罪", "reason": "关闭监控报警设备"}
    with pytest.raises(ValidationFailed) as one:
        related.propose_referral(case, raw, actor=inspector)
    assert one.value.errors[0].message == "移送须由2名以上执法人员组成专案组"
    proposed = timezone.now() - dt.timedelta(days=6)
    raw |= {"officers": ["inspector", "inspector2"], "proposed_at": proposed}
    with pytest.raises(ValidationFailed) as nobody:
        related.propose_referral(case, raw, actor=inspector)
    assert (nobody.value.errors[0].field, nobody.value.errors[0].message) == (
        "persons",
        "请填写移送的涉嫌犯罪人员姓名",
    )
    raw["persons"] = "张三、李四，张三"
    referral = related.propose_referral(case, raw, actor=inspector)
    assert (referral.persons, referral.person_count) == (["张三", "李四"], 2)
    assert referral.decision_due == proposed + dt.timedelta(days=3)
    with pytest.raises(NotPermitted):
        related.move_referral(referral, "approve", actor=inspector)
    decided = proposed + dt.timedelta(days=4)  # a day past the 3 days
    referral = related.move_referral(referral, "approve", actor=boss, decided_at=decided)
    assert referral.decision_late and referral.transfer_due == decided + dt.timedelta(hours=24)
    referral = related.move_referral(
        referral,
        "transfer",
        actor=inspector,
        transferred_at=decided + dt.timedelta(hours=23),
        police_unit="濂溪公安分局",
    )
    assert not referral.transfer_late
    # the 案件移送书 was issued with the transfer, addressed to the police unit, naming the people referred
    (paper,) = documents.for_subject(referral)
    assert paper.kind == "case_referral" and paper.context["receiver"] == "濂溪公安分局"
    assert "张三、李四，共2人" in paper.context["facts"]
    referral = related.move_referral(
        referral, "answer", actor=inspector, answer="filed", answered_on=timezone.localdate()
    )
    assert (referral.status, referral.police_answer) == ("answered", "filed")


def test_listing_takes_the_period_of_its_version_and_is_not_removed_early(team):
    case = opened(team, dt.date(2026, 2, 1))
    case.decided_on = dt.date(2026, 3, 1)
    case.save(update_fields=["decided_on"])
    boss = team.users["emergency_supervisor"]
    with pytest.raises(NotPermitted):
        related.list_enterprise(
            case, {"condition": "concealed", "reason": "瞒报"}, actor=team.users["inspector"]
        )
    listing = related.list_enterprise(
        case, {"condition": "concealed", "reason": "瞒报事故", "listed_on": dt.date(2026, 3, 5)}, actor=boss
    )
    assert (listing.ends_on, listing.removable_from) == (dt.date(2029, 3, 5), dt.date(2027, 3, 5))
    assert listing.rules_version.verified == "partial"
    with pytest.raises(Conflict) as early:
        related.move_listing(listing, "remove", actor=boss, reason="已整改")
    assert "2027-03-05" in early.value.message


def test_each_step_waits_in_the_todo_of_who_must_take_it(team):
    from anquan.cases import services

    case = services.open_case(
        {
            "enterprise": team.chem_t1.uscc,
            "source": "tip_off",
            "facts": "举报：无证储存危险化学品",
            "investigators": ["inspector", "inspector2"],
            "applied_on": timezone.localdate() - dt.timedelta(days=90),
        },
        actor=team.users["inspector"],
    )
    boss, inspector = team.users["emergency_supervisor"], team.users["inspector"]

    def kinds(user):
        return {i.kind: i.count for i in items_for(user) if i.kind.startswith("cases.")}

    assert kinds(boss) == {"cases.approve": 1}
    assert kinds(inspector) == {}
    assert kinds(team.users["housing_supervisor"]) == {}
    # opened long enough ago that the limit is 3 days away: the investigators are warned
    on = timezone.localdate() - dt.timedelta(days=87)
    actions.transition(case, "approve", actor=boss, opened_on=on)
    assert kinds(inspector) == {"cases.investigate": 1, "cases.due_soon": 1}
    assert kinds(team.users["inspector2"]) == {"cases.investigate": 1, "cases.due_soon": 1}
    assert kinds(boss) == {"cases.due_soon": 1}
    assert todo.WARN_DAYS == 7


def test_statements_and_referrals_wait_in_the_todo_of_who_must_act(team):
    case = opened(team, timezone.localdate() - dt.timedelta(days=10))
    boss, inspector = team.users["emergency_supervisor"], team.users["inspector"]

    def kinds(user):
        return {i.kind for i in items_for(user) if i.kind.startswith("cases.") and i.count}

    actions.transition(case, "finish_investigation", actor=inspector, report="调查终结")
    fine = [{"kind": "fine", "article": "99", "amount_yuan": "20000"}]
    actions.transition(case, "notify", actor=boss, measures=fine)
    assert "cases.statement" in kinds(team.users["inspector2"]) and "cases.decide" in kinds(boss)
    raw = {"officers": ["inspector", "inspector2"], "persons": ["张三"], "suspected_crime": "危险作业罪"}
    referral = related.propose_referral(case, raw | {"reason": "关闭报警设备"}, actor=inspector)
    assert "cases.refer_decide" in kinds(boss) and "cases.refer_decide" not in kinds(inspector)
    referral = related.move_referral(referral, "approve", actor=boss)
    assert "cases.refer_decide" not in kinds(boss) and "cases.refer_transfer" in kinds(inspector)
    related.move_referral(referral, "transfer", actor=inspector, police_unit="濂溪公安分局")
    assert {"cases.refer_answer"} <= kinds(inspector) - {"cases.refer_transfer"}
    (item,) = [i for i in items_for(inspector) if i.kind == "cases.refer_answer"]
    assert item.url.endswith("?todo=refer_answer")
    listed = login(inspector).get(item.url).content.decode()
    assert case.number in listed
