"""The figures a case applies come from the rule version in force on its 立案 date, kept with the case; the money
of execution is the law's arithmetic, checked against values worked by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from anquan.cases import actions, measures, rules
from anquan.core.errors import Conflict, ValidationFailed

from .conftest import opened

pytestmark = pytest.mark.django_db


def test_the_limit_is_the_one_in_force_on_the_day_of_filing(team):
    """Opened on 2026-01-31: Order 15's 30 days (verified). Opened on 2026-02-01: the version for Order 18, whose
    text is not held, carrying the law's 90 days and marked not verified."""
    before = opened(team, dt.date(2026, 1, 31))
    after = opened(team, dt.date(2026, 2, 1))
    assert (before.time_limit_days, before.deadline) == (30, dt.date(2026, 3, 2))
    assert before.rules_version.verified == "verified" and "第15号" in before.rules_version.source
    assert (after.time_limit_days, after.deadline) == (90, dt.date(2026, 5, 2))
    assert after.rules_version.verified == "not_found" and "第18号令条文未取得" in after.rules_version.note


def test_a_later_version_does_not_change_an_opened_case(team):
    from anquan.rules.services import add_version

    case = opened(team, dt.date(2026, 2, 1))
    values = dict(case.rules_version.values, decision_days=60)
    add_version(
        team.users["sysadmin"],
        "enforcement.procedure",
        effective_from=dt.date(2026, 2, 1) + dt.timedelta(days=1),
        values=values,
        source="测试",
        verified="partial",
    )
    later = opened(team, dt.date(2026, 2, 2))
    case.refresh_from_db()
    assert (case.time_limit_days, later.time_limit_days) == (90, 60)


def test_extensions_are_bounded_by_the_cases_version(team):
    """Order 15: the head extends to 90 days in all, the level above to 180; Order 18's version has no rule."""
    old = opened(team, dt.date(2026, 1, 31))
    boss = team.users["emergency_supervisor"]
    old = actions.transition(old, "extend", actor=boss, days=60, level="head", reason="案情复杂")
    assert (old.extended_days, old.deadline) == (60, dt.date(2026, 5, 1))
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(old, "extend", actor=boss, days=1, level="head", reason="再延")
    assert "总计不得超过90日" in refused.value.errors[0].message
    old = actions.transition(old, "extend", actor=boss, days=90, level="above", reason="上一级批准")
    assert old.deadline == dt.date(2026, 1, 31) + dt.timedelta(days=180)
    new = opened(team, dt.date(2026, 2, 1))
    with pytest.raises(Conflict) as no_rule:
        actions.transition(new, "extend", actor=boss, days=10, level="head", reason="案情复杂")
    assert "未规定" in no_rule.value.message


def test_surcharge_against_hand_worked_values(db):
    from anquan.rules.services import in_force

    figures = rules.procedure(in_force("enforcement.procedure", dt.date(2026, 6, 1)))
    delivered = dt.date(2026, 3, 1)
    fine = Decimal("10000")
    # 15 days to pay: paid on day 15 is in time; day 16 is one day late (300); day 20 is 5 days late: 5 × 3 % ×
    # 10 000 = 1 500; from 34 days late the 3 % a day would pass the fine, and the surcharge stops at 10 000
    assert measures.surcharge(fine, delivered, delivered + dt.timedelta(days=15), figures) == (
        0,
        Decimal("0"),
    )
    assert measures.surcharge(fine, delivered, delivered + dt.timedelta(days=16), figures) == (
        1,
        Decimal("300.00"),
    )
    assert measures.surcharge(fine, delivered, delivered + dt.timedelta(days=20), figures) == (
        5,
        Decimal("1500.00"),
    )
    assert measures.surcharge(fine, delivered, delivered + dt.timedelta(days=48), figures) == (
        33,
        Decimal("9900.00"),
    )
    assert measures.surcharge(fine, delivered, delivered + dt.timedelta(days=49), figures) == (
        34,
        Decimal("10000"),
    )
    assert measures.surcharge(fine, delivered, delivered + dt.timedelta(days=400), figures)[1] == Decimal(
        "10000"
    )
    assert measures.daily_penalty(Decimal("20000"), 7) == Decimal("140000.00")


def test_a_fine_outside_the_articles_range_names_article_and_range(db):
    on = dt.date(2026, 6, 1)
    too_much = measures.parse([{"kind": "fine", "article": "99-overdue", "amount_yuan": "300000"}])
    with pytest.raises(ValidationFailed) as refused:
        measures.check(too_much, on, "360402")
    error = refused.value.errors[0]
    assert error.field == "measures.0.amount_yuan" and error.code == "out_of_range"
    assert (
        error.message
        == "罚款30万元超出《安全生产法》第九十九条（逾期未改正）对单位规定的幅度（5万元至20万元）"
    )
    too_little = measures.parse(
        [{"kind": "fine", "article": "94", "target": "person", "person": "张三", "amount_yuan": "5000"}]
    )
    with pytest.raises(ValidationFailed) as low:
        measures.check(too_little, on, "360402")
    assert (
        low.value.errors[0].message
        == "罚款5000元超出《安全生产法》第九十四条对个人规定的幅度（2万元至5万元）"
    )
    no_unit_fine = measures.parse([{"kind": "fine", "article": "94", "amount_yuan": "30000"}])
    with pytest.raises(ValidationFailed) as wrong_target:
        measures.check(no_unit_fine, on, "360402")
    assert wrong_target.value.errors[0].message == "《安全生产法》第九十四条没有规定对单位的罚款"
    within = measures.parse(
        [
            {"kind": "fine", "article": "99-overdue", "amount_yuan": "200000"},
            {
                "kind": "fine",
                "article": "99-overdue",
                "target": "person",
                "person": "张三",
                "amount_yuan": "10000",
            },
            {"kind": "suspend", "note": "停产停业整顿30日"},
        ]
    )
    assert measures.check(within, on, "360402").verified == "verified"
    assert measures.fine_total(within) == Decimal("210000")


def test_the_right_to_a_hearing_follows_the_cases_version(team):
    """Order 15: a fine on an organisation from 50 000 yuan, on a person from 20 000; the version for Order 18
    (figures not held) gives the right on every fine; 责令停产停业整顿 always carries it."""
    old = opened(team, dt.date(2026, 1, 31))
    old.proposed_measures = [{"kind": "fine", "article": "99", "amount_yuan": "40000"}]
    assert not actions.hearing_right(old)
    old.proposed_measures = [{"kind": "fine", "article": "99-overdue", "amount_yuan": "50000"}]
    assert actions.hearing_right(old)
    old.proposed_measures = [{"kind": "fine", "article": "94", "target": "person", "amount_yuan": "20000"}]
    assert actions.hearing_right(old)
    new = opened(team, dt.date(2026, 2, 1))
    new.proposed_measures = [{"kind": "fine", "article": "99", "amount_yuan": "1000"}]
    assert actions.hearing_right(new)
    new.proposed_measures = [{"kind": "suspend"}]
    assert actions.hearing_right(new)
