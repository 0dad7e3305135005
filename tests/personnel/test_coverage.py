"""Coverage of a seeded county against hand-counted figures (issue #17 "Must show")."""

from __future__ import annotations

import datetime as dt

import pytest

from anquan.enterprises.models import Enterprise
from anquan.personnel.choices import CertificateKind, CertificateState, Post
from anquan.personnel.stats import coverage, uncovered_enterprises
from anquan.personnel.validity import RuleBook, standing

from .helpers import certificate, person, training

ON = dt.date(2026, 12, 2)
SQ = CertificateKind.SAFETY_QUALIFICATION


@pytest.fixture
def county(world):
    e1, e2, other = world.chem_t1, world.chem_t2, world.chem_xiushui
    w = {}
    w["w1"] = person(e1, "张一", Post.SPECIAL_WORKER)
    w["c1"] = certificate(w["w1"], "2024-01-10", "2030-01-09")  # review due 2027: renewal rule, valid
    w["w2"] = person(e1, "张二", Post.SPECIAL_WORKER)
    w["c2"] = certificate(w["w2"], "2020-12-02", "2026-12-01", reviews=["2023-11-01"])  # expired yesterday
    w["w3"] = person(e1, "张三", Post.SPECIAL_WORKER)
    w["c3"] = certificate(
        w["w3"], "2023-06-02", "2029-06-01"
    )  # review fell due 2026-06-02: no review, covered
    w["w4"] = person(e1, "张四", Post.SPECIAL_WORKER)
    w["c4"] = certificate(w["w4"], "2023-05-30", "2029-05-29")  # review fell due 2026-05-30, not done
    w["w5"] = person(e1, "张五", Post.SPECIAL_WORKER)
    w["c5"] = certificate(w["w5"], "2022-01-01", "2028-01-01", job="5.1")  # coal mine: no 3-year review
    w["m1"] = person(e1, "李一", Post.PRINCIPAL)
    certificate(w["m1"], "2025-01-01", "2028-01-01", kind=SQ)
    training(w["m1"], "2026-03-01", 16)
    w["m2"] = person(e1, "李二", Post.SAFETY_MANAGER)
    training(w["m2"], "2026-03-01", 12)
    w["l1"] = person(e1, "王一", Post.TEAM_LEADER, Post.OTHER)
    training(w["l1"], "2026-04-01", 8)
    w["w6"] = person(e2, "赵一", Post.SPECIAL_WORKER)
    certificate(w["w6"], "2025-03-01", "2031-02-28")
    w["l2"] = person(e2, "赵二", Post.TEAM_LEADER)
    training(w["l2"], "2025-11-01", 24)  # last year: not trained this year
    person(e2, "赵三", Post.SPECIAL_WORKER, left_on=dt.date(2026, 1, 1))  # left: not counted
    person(other, "钱一", Post.SPECIAL_WORKER)  # another county
    return w


def test_certificate_states_follow_the_rule_in_force_when_the_review_falls_due(county):
    book = RuleBook()
    assert standing(county["c1"], ON, book).state == CertificateState.VALID
    assert standing(county["c2"], ON, book).state == CertificateState.EXPIRED
    assert standing(county["c2"], ON - dt.timedelta(days=1), book).state == CertificateState.EXPIRING
    assert standing(county["c3"], ON, book).state == CertificateState.VALID
    c4 = standing(county["c4"], ON, book)
    assert c4.state == CertificateState.REVIEW_OVERDUE and c4.review_due_on == dt.date(2026, 5, 30)
    assert standing(county["c4"], dt.date(2026, 5, 1), book).state == CertificateState.REVIEW_DUE
    assert standing(county["c5"], ON, book).state == CertificateState.VALID


def test_county_coverage_reproduces_hand_counted_figures(county):
    result = coverage(Enterprise.objects.filter(region_code__startswith="360402"), ON)
    got = {m: (s.covered, s.total) for m, s in result.totals.items()}
    assert got == {
        "special_workers": (4, 6),  # w1, w3, w5, w6 of w1-w6 (w2 expired yesterday, w4 review overdue)
        "managers": (1, 2),  # m1 (m2 holds no certificate)
        "team_leaders": (1, 2),  # l1 (l2 trained last year)
        "training_hours": (1, 10),  # m1 16 h ≥ 16; everybody else short (high-risk: 16 / 20 h)
    }
    assert {e.name for e in result.below} == {"江西化工测试有限公司", "九江精细化工有限公司"}


def test_uncovered_enterprises_gives_the_certificate_share_of_those_below_one(world, county):
    ids = [world.chem_t1.pk, world.chem_t2.pk, world.build_t1.pk]
    assert uncovered_enterprises(Enterprise.objects.filter(pk__in=ids), ON) == {
        world.chem_t1.pk: pytest.approx(4 / 7)
    }
