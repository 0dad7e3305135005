"""Decree 493 art. 3 at every threshold edge ("以上" includes the number, "以下" does not)."""

from decimal import Decimal

import pytest
from django.test import Client

from anquan.accidents.grading import grade


@pytest.mark.parametrize(
    ("deaths", "expected"),
    [
        (0, "ordinary"),
        (2, "ordinary"),
        (3, "larger"),
        (9, "larger"),
        (10, "major"),
        (29, "major"),
        (30, "especially_major"),
    ],
)
def test_deaths_edges(deaths, expected):
    assert grade(deaths, 0, 0).grade == expected


@pytest.mark.parametrize(
    ("serious", "expected"),
    [
        (9, "ordinary"),
        (10, "larger"),
        (49, "larger"),
        (50, "major"),
        (99, "major"),
        (100, "especially_major"),
    ],
)
def test_serious_injury_edges(serious, expected):
    assert grade(0, serious, 0).grade == expected


@pytest.mark.parametrize(
    ("loss", "expected"),
    [
        ("9999999", "ordinary"),
        ("9999999.99", "ordinary"),
        ("10000000", "larger"),
        ("49999999.99", "larger"),
        ("50000000", "major"),
        ("99999999.99", "major"),
        ("100000000", "especially_major"),
    ],
)
def test_direct_loss_edges(loss, expected):
    assert grade(0, 0, Decimal(loss)).grade == expected


def test_the_loss_not_the_deaths_sets_the_grade():
    result = grade(1, 2, Decimal("12000000"))
    assert (result.grade, result.label) == ("larger", "较大事故")
    assert result.reasons[0] == "直接经济损失1200万元，达到较大事故标准（1000万元以上）"
    assert not any("死亡" in r for r in result.reasons)


def test_highest_figure_wins_and_every_reaching_figure_is_named():
    result = grade(29, 100, 0)  # the reference's own case: 29 deaths and 100 serious injuries
    assert result.grade == "especially_major"
    assert result.reasons[0].startswith("重伤（含急性工业中毒）100人，达到特别重大事故标准")


def test_missing_persons_count_only_when_asked():
    assert grade(2, 0, 0, missing=1).grade == "ordinary"
    assert grade(2, 0, 0, missing=1, count_missing_as_deaths=True).grade == "larger"


@pytest.mark.django_db
def test_tool_endpoint(world, api_token):
    headers = api_token("county_office")
    body = (
        Client()
        .post(
            "/api/v1/tools/accident-grade",
            {"deaths": 3, "serious_injuries": 0, "direct_loss_yuan": 5000000, "missing": 2},
            content_type="application/json",
            **headers,
        )
        .json()
    )
    assert (body["grade"], body["label"], body["missing"]) == ("larger", "较大事故", 2)
    assert body["reasons"][0] == "死亡3人，达到较大事故标准（3人以上）"
    bad = Client().post(
        "/api/v1/tools/accident-grade",
        {"deaths": -1, "serious_injuries": 0, "direct_loss_yuan": 0},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "deaths"
    missing_field = Client().post(
        "/api/v1/tools/accident-grade", {"deaths": 1}, content_type="application/json", **headers
    )
    assert missing_field.status_code == 422
