"""An assessment of a city's counties: reproducible from data, each breakdown adds up, ties ranked by the stated rule,
flags follow from the ranking (issue #15 Must show)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anquan.assessments import services
from anquan.assessments.models import Flag, Score
from anquan.assessments.rules import Scheme
from anquan.assessments.scoring import Ranked, flagged, rank
from anquan.core.errors import ValidationFailed
from anquan.hazards.models import Hazard
from anquan.regions.models import Region

from .data import END, SMALL, START, seed_tie, small_scheme

pytestmark = pytest.mark.django_db


def computed(world, scheme=None):
    office = world.users["city_office"]
    raw = {"period_start": START.isoformat(), "period_end": END.isoformat(), "subjects": "child_regions"}
    if scheme is not None:
        raw["scheme"] = scheme.pk
    assessment = services.create(office, raw)
    return services.compute(assessment, actor=office)


def table(assessment):
    return [
        (s.region.code, s.total, s.rank, s.breakdown)
        for s in Score.objects.filter(assessment=assessment).select_related("region").order_by("order")
    ]


def test_an_assessment_of_a_citys_counties_is_reproducible_from_data(world):
    seed_tie(world)
    assessment = computed(world, small_scheme())
    first = table(assessment)
    assert [row[0] for row in sorted(first)] == list(
        Region.objects.filter(parent__code="360400").order_by("code").values_list("code", flat=True)
    )  # every county of 九江
    again = services.compute(assessment, actor=world.users["city_office"])
    assert table(again) == first
    # the inputs read are stored with the score: what, from where, the figure
    lianxi = next(row for row in first if row[0] == "360402")
    tasks = next(item for item in lianxi[3] if item["key"] == "tasks")
    assert tasks["figure"] == "按期完成2/到期任务2（100.0%）"
    assert tasks["source"] == "攻坚任务清单"
    assert (tasks["value"], tasks["points"], tasks["max"]) == ("100.0", "10.00", "10.00")


def test_each_scores_breakdown_adds_up_to_its_total(world):
    seed_tie(world)
    assessment = computed(world)  # the default scheme in force (every criterion of 九江's example)
    scores = list(Score.objects.filter(assessment=assessment))
    assert scores
    for score in scores:
        assert sum(Decimal(item["points"]) for item in score.breakdown) == score.total
        assert all(Decimal(item["points"]) <= Decimal(item["max"]) for item in score.breakdown)
        assert sum(Decimal(item["max"]) for item in score.breakdown) == Decimal(100)


def test_ties_are_ranked_by_the_stated_rule(world):
    seed_tie(world)
    assessment = computed(world, small_scheme())
    rows = table(assessment)
    totals = {code: total for code, total, _rank, _b in rows}
    assert totals["360402"] == totals["360424"] == Decimal("20.00")  # a tie on total
    assert [(code, rank) for code, _t, rank, _b in rows[:2]] == [("360402", 1), ("360424", 2)]  # tasks decide
    rest = rows[2:]
    assert {total for _c, total, _r, _b in rest} == {Decimal("10.00")}
    assert {rank for _c, _t, rank, _b in rest} == {3}  # still equal: the same rank
    assert [code for code, *_ in rest] == sorted(code for code, *_ in rest)  # listed by region code


def test_flags_follow_from_the_ranking_by_the_schemes_rule_and_move_on(world):
    seed_tie(world)
    xunyang = Region.objects.filter(parent__code="360403").order_by("code").first()
    Hazard.objects.create(  # a major hazard in 浔阳 not rectified by its deadline: 浔阳 alone comes last
        region=xunyang,
        region_code=xunyang.code,
        source="grid_patrol",
        description="公共场所重大隐患",
        found_at=timezone.make_aware(dt.datetime(2025, 3, 1, 9)),
        status="rectifying",
        level="major",
        deadline=dt.date(2025, 4, 30),
    )
    office = world.users["city_office"]
    assessment = services.publish(computed(world, small_scheme()), actor=office)
    rows = table(assessment)
    assert (rows[-1][0], rows[-1][1]) == ("360403", Decimal("5.00"))
    flags = list(Flag.objects.filter(assessment=assessment).order_by("colour", "region_code"))
    assert [(f.colour, f.region.code, f.rank) for f in flags] == [
        ("red", "360402", 1),
        ("yellow", "360403", 13),
    ]
    assert flags[0].reason.endswith("考核第1名（前1名授予流动红旗）")
    assert all(f.passed_on is None for f in flags)
    # the next period's flags pass these on
    nxt = services.create(
        office,
        {"period_start": "2026-01-01", "period_end": "2026-11-30", "scheme": assessment.scheme_id},
        today=dt.date(2026, 12, 2),
    )
    services.publish(services.compute(nxt, actor=office), actor=office)
    assert Flag.objects.get(assessment=assessment, colour="red").passed_on is not None
    assert not Flag.objects.filter(
        assessment=nxt
    ).exists()  # no data in 2026: all thirteen tie, none singled out


def test_a_tie_across_the_flag_count_gets_no_flag():
    scheme = Scheme.model_validate(SMALL | {"red_count": 2, "yellow_count": 2})
    entries = [
        Ranked(k, k, Decimal(t), {})
        for k, t in (("a", "30"), ("b", "20"), ("c", "20"), ("d", "10"), ("e", "5"))
    ]
    ranked = rank(entries, scheme)
    red, yellow = flagged(ranked, scheme)
    assert [e.key for e in red] == ["a"]  # b and c share 2nd place across the count of two: neither
    assert [e.key for e in yellow] == ["d", "e"]


def test_a_criterion_without_data_scores_nothing_and_says_so(world):
    seed_tie(world)
    assessment = computed(world, small_scheme())
    for _code, _total, _rank, breakdown in table(assessment):
        alarms = next(item for item in breakdown if item["key"] == "alarms")
        assert (alarms["figure"], alarms["points"], alarms["no_data"]) == ("暂无数据", "0.00", True)


def test_manual_points_above_the_maximum_or_without_reason_are_refused(world):
    seed_tie(world)
    office = world.users["city_office"]
    assessment = computed(world, small_scheme())
    with pytest.raises(ValidationFailed) as refused:
        services.enter_manual(
            assessment,
            {"criterion": "work", "subject": "360402", "points": "6", "reason": ""},
            [],
            actor=office,
        )
    assert {e.field: e.message for e in refused.value.errors} == {
        "points": "得分不能超过该项满分5分",
        "reason": "评分理由不能为空",
    }
    services.enter_manual(
        assessment,
        {"criterion": "work", "subject": "360424", "points": "4.5", "reason": "年度工作落实到位"},
        [],
        actor=office,
    )
    again = services.compute(assessment, actor=office)
    rows = table(again)
    assert rows[0][0] == "360424" and rows[0][1] == Decimal("24.50")
    work = next(i for i in rows[0][3] if i["key"] == "work")
    assert work["figure"] == "评分4.5分：年度工作落实到位"


def test_a_period_not_yet_ended_is_refused(world):
    with pytest.raises(ValidationFailed) as refused:
        services.create(
            world.users["city_office"],
            {"period_start": "2026-01-01", "period_end": "2026-12-31"},
            today=dt.date(2026, 12, 2),
        )
    assert refused.value.errors[0].field == "period_end"
