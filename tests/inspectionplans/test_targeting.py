"""Targeting scores against hand-worked values (tests/inspectionplans/conftest.py), bands, explanations, the
query count, and the API's scope."""

from __future__ import annotations

import pytest
from django.test import Client

from anquan.inspectionplans import services, targeting
from anquan.inspectionplans.rules import TARGETING_DEFAULT, TargetingFigures
from anquan.regions.models import Region

from ..conftest import login

pytestmark = pytest.mark.django_db

FIGURES = TargetingFigures.model_validate(TARGETING_DEFAULT)


def _by_name(found):
    return {t.name: t for t in found}


def test_scores_are_the_weights_times_the_factors(seeded):
    found, version = services.targets(seeded.users["county_office"], Region.objects.get(code="360402"))
    assert version.verified == "not_found"
    t = _by_name(found)
    e1 = t["江西化工测试有限公司"]
    points = {f.key: f.points for f in e1.factors}
    assert points == {
        "risk_level": 40,
        "overdue_major_hazard": 2 * 15,
        "open_major_hazard": 10,
        "overdue_general_hazard": 4,
        "missed_check": 3,
        "accidents": 15,
        "major_installation": 8,
        "penalty": 0,
        "alarm": 0,
        "tip_off": 0,
        "monitoring_listed": 0,
        "certificates_uncovered": 0,
    }
    assert (e1.score, e1.band, e1.frequency) == (110, "key", 4)
    # decided cases, tip-offs and sensor alarms are held (none here: 0 次, 0 件, 0 次; not listed: 否)
    assert [f.value for f in e1.factors if not f.available] == []
    assert {f.key: f.value for f in e1.factors}["alarm"] == "0 次"
    assert {f.key: f.value for f in e1.factors}["monitoring_listed"] == "否"
    assert {f.key: f.value for f in e1.factors}["tip_off"] == "0 件"
    assert (t["九江精细化工有限公司"].score, t["九江精细化工有限公司"].band) == (55, "watch")
    assert (t["濂溪建筑工程有限公司"].score, t["濂溪建筑工程有限公司"].band) == (10, "general")
    assert [x.name for x in found] == ["江西化工测试有限公司", "九江精细化工有限公司", "濂溪建筑工程有限公司"]


def test_the_explanation_names_what_raised_the_score(seeded):
    found, _ = services.targets(seeded.users["county_office"], Region.objects.get(code="360402"))
    t = _by_name(found)
    assert t["江西化工测试有限公司"].explanation == (
        "重大风险 + 2 项超期重大隐患 + 1 项未整改重大隐患 + 1 项超期一般隐患 + 近90天漏检3次 + 去年1起事故 + 1 处重大危险源"
    )
    assert t["九江精细化工有限公司"].explanation == "较大风险 + 今年1起较大事故"


def test_key_post_people_without_a_valid_certificate_raise_the_score(seeded):
    """Of 江西化工测试有限公司's three key-post people one holds no valid certificate: 66 %, +10 points."""
    from tests.personnel.helpers import certificate, person

    chem = seeded.chem_t1
    certificate(person(chem, "张三", "special_worker"), "2024-01-10", "2030-01-10")
    certificate(person(chem, "李四", "special_worker"), "2020-01-10", "2026-01-10")  # expired
    certificate(
        person(chem, "王五", "safety_manager"), "2025-03-01", "2028-03-01", kind="safety_qualification"
    )
    found, _ = services.targets(seeded.users["county_office"], Region.objects.get(code="360402"))
    t = _by_name(found)
    e1 = t["江西化工测试有限公司"]
    factor = {f.key: f for f in e1.factors}["certificates_uncovered"]
    assert (factor.value, factor.points) == ("66%", 10)
    assert e1.score == 110 + 10 and e1.explanation.endswith(" + 持证率66%")
    assert {f.key: f.value for f in t["九江精细化工有限公司"].factors}[
        "certificates_uncovered"
    ] == "100%或无此类人员"


@pytest.mark.parametrize(
    ("score", "band", "frequency"),
    [
        (0, "random", 0),
        (9, "random", 0),
        (10, "general", 1),
        (29, "general", 1),
        (30, "watch", 2),
        (59, "watch", 2),
        (60, "key", 4),
        (500, "key", 4),
    ],
)
def test_band_and_frequency_of_a_score(score, band, frequency):
    assert targeting.band_for(score, FIGURES) == (band, frequency)


def test_a_county_is_ranked_in_a_fixed_number_of_queries(seeded, django_assert_max_num_queries):
    """One query for the enterprises, one per source (hazards, missed checks, accidents, installations, decided
    cases, substantiated tip-offs, the monitoring's listing, the key-post people's certificates and training), one
    for the townships' names and one for the rule version, whatever the number of enterprises."""
    user = seeded.users["county_office"]
    region = Region.objects.get(code="360402")
    with django_assert_max_num_queries(21):
        found, _ = services.targets(user, region)
        assert len(found) == 3


def test_the_api_ranks_with_breakdowns_and_keeps_to_the_scope(seeded, api_token):
    client = Client()
    body = client.get(
        "/api/v1/enforcement-targets?region=360402&limit=2", **api_token("county_office")
    ).json()
    assert body["count"] == 3 and [i["rank"] for i in body["items"]] == [1, 2]
    top = body["items"][0]
    assert top["score"] == 110 and top["band"] == "key" and top["frequency"] == 4
    assert {f["key"]: f["points"] for f in top["factors"]}["overdue_major_hazard"] == 30
    assert body["rule"]["verified"] == "not_found"
    only = client.get(
        "/api/v1/enforcement-targets?region=360402&band=watch", **api_token("county_office")
    ).json()
    assert [i["name"] for i in only["items"]] == ["九江精细化工有限公司"]
    # another county's office: 404 for this county; the department sees only its own enterprises
    assert (
        client.get("/api/v1/enforcement-targets?region=360402", **api_token("county_office_b")).status_code
        == 404
    )
    housing = client.get(
        "/api/v1/enforcement-targets?region=360402", **api_token("housing_supervisor")
    ).json()
    assert [i["name"] for i in housing["items"]] == ["濂溪建筑工程有限公司"]
    bad = client.get("/api/v1/enforcement-targets?region=36x", **api_token("county_office"))
    assert bad.status_code == 422
    assert client.get("/api/v1/enforcement-targets", **api_token("enterprise_manager")).status_code == 404


def test_the_page_shows_the_breakdown_and_exports_it(seeded):
    client = login(seeded.users["county_office"])
    page = client.get("/plans/targets/?region=360402").content.decode()
    assert "重大风险 + 2 项超期重大隐患" in page and "监测预警列入执法关注" in page
    assert 'data-testid="rule-unverified"' in page  # the weights are not verified: said on the page
    town = client.get(f"/plans/targets/?region=360402&township={seeded.t2.code}").content.decode()
    assert "九江精细化工有限公司" in town and "江西化工测试有限公司" not in town
    export = client.get("/plans/targets/export.xlsx?region=360402")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")


def test_penalties_weigh_in_once_their_counts_exist():
    """What `penalty_counts` returns once wired to the cases app: 10 points a penalty, named in the sentence."""
    words: list[str] = []
    factors = targeting._data_to_come(7, FIGURES, ({7: 2}, None, None), words)
    assert [(f.key, f.value, f.points, f.available) for f in factors] == [
        ("penalty", "2 次", 20, True),
        ("alarm", "暂无数据", 0, False),
        ("tip_off", "暂无数据", 0, False),
    ]
    assert words == ["近3年行政处罚2次"]


def test_decided_enforcement_cases_weigh_in_the_score(seeded):
    """The penalties factor counts the enterprise's cases decided within the window (the cases app): two
    decided (5 and 790 days ago) of the three opened for 江西化工测试有限公司; the one still open does not count."""
    from ..live.seeds_cases import seed_cases

    user = seeded.users["county_office"]
    region = Region.objects.get(code="360402")
    before, _ = services.targets(user, region)
    seed_cases(seeded)
    after, _ = services.targets(user, region)
    penalty = {t.name: next(f for f in t.factors if f.key == "penalty") for t in after}
    assert penalty["江西化工测试有限公司"].value == "2 次" and penalty["江西化工测试有限公司"].points == 20
    assert penalty["九江精细化工有限公司"].points == 0
    score = {t.name: t.score for t in before}
    assert {t.name: t.score for t in after}["江西化工测试有限公司"] == score["江西化工测试有限公司"] + 20


def test_substantiated_tip_offs_weigh_in_and_are_named(seeded):
    """The tip-off factor counts the tip-offs about the enterprise substantiated in the last 12 months (this
    one included): 2 of 江西化工测试有限公司's five — one substantiated, one whose reward was paid; not the one
    substantiated 13 months ago, nor the one not substantiated, nor the one being verified. 5 points each."""
    import datetime as dt

    from django.utils import timezone

    from anquan.tipoffs.models import TipOff

    user = seeded.users["county_office"]
    region = Region.objects.get(code="360402")
    before, _ = services.targets(user, region)
    now = timezone.now()
    for n, (status, concluded) in enumerate(
        [
            ("substantiated", now - dt.timedelta(days=3)),
            ("reward_paid", now - dt.timedelta(days=40)),
            ("substantiated", now - dt.timedelta(days=400)),
            ("unsubstantiated", now - dt.timedelta(days=3)),
            ("verifying", None),
        ]
    ):
        TipOff.objects.create(
            tracking_code=f"TT{n:08d}",
            kind="hazard",
            description="罐区周边堆放杂物",
            address="十里大道",
            region=seeded.t1,
            enterprise=seeded.chem_t1,
            status=status,
            submitted_at=now - dt.timedelta(days=450),
            concluded_at=concluded,
        )
    after, _ = services.targets(user, region)
    top = _by_name(after)["江西化工测试有限公司"]
    tip_off = next(f for f in top.factors if f.key == "tip_off")
    assert (tip_off.label, tip_off.value, tip_off.points, tip_off.available) == (
        "近12个月查实的举报",
        "2 件",
        10,
        True,
    )
    assert top.explanation.endswith(" + 近12个月查实举报2件")
    assert top.score == _by_name(before)["江西化工测试有限公司"].score + 10
    others = {t.name: next(f for f in t.factors if f.key == "tip_off").points for t in after}
    assert others["九江精细化工有限公司"] == 0


def test_a_version_stored_before_the_tip_off_window_reads_and_shows_twelve_months():
    """`tip_off_months` came with the tip-offs: a version stored without it is applied, and shown, as 12."""
    from anquan.rules import forms, registry

    older = {k: v for k, v in TARGETING_DEFAULT.items() if k != "tip_off_months"}
    assert TargetingFigures.model_validate(older).tip_off_months == 12
    shown = dict(forms.figures(registry.kind("enforcement.targeting"), older))
    assert shown["举报统计期（月，含本月）"] == "12"
