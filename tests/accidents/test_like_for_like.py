"""Like-for-like year-on-year statistics through the API (/api/v1/stats/accidents): the same dates last year,
leap days, and a first year of use — no "上年同期为零" for a year the system did not record, until an office
enters last year's totals (/api/v1/bulletins/prior-totals, audited, the newest entry counting)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from anquan.accidents import comparison
from anquan.accidents.grading import grade
from anquan.accidents.models import Accident, AccidentCategory, PriorTotals
from anquan.core.models import AuditEntry
from anquan.regions.models import Region

from .conftest import seed

pytestmark = pytest.mark.django_db


def accident(day: dt.date, code: str = "360402", deaths: int = 1) -> None:
    region = Region.objects.get(code=code)
    edition, category = ("2025", "WSA10001") if day >= dt.date(2026, 7, 1) else ("1986", "01")
    Accident.objects.create(
        occurred_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10)),
        region=region,
        region_code=region.code,
        address="某地",
        summary="物体打击",
        category=AccidentCategory.objects.get(edition=edition, code=category),
        deaths=deaths,
        direct_loss_yuan=Decimal("0"),
        grade=grade(deaths, 0, 0).grade,
    )


def stats(headers, query: str) -> dict:
    response = Client().get(f"/api/v1/stats/accidents?{query}", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def enter(headers, **body):
    return Client().post("/api/v1/bulletins/prior-totals", body, content_type="application/json", **headers)


@pytest.fixture
def first_year(world):
    """九江市 recorded from January 2026 on: 30 accidents, 30 deaths in 1-11月; nothing before."""
    counties = list(Region.objects.filter(parent__code="360400").values_list("code", flat=True))
    seed(2026, [1] * 30, counties)


def test_a_first_year_states_no_comparison_until_last_years_totals_are_entered(world, first_year, api_token):
    city = api_token("city_office")
    body = stats(city, "region=360400&from=2026-01-01&to=2026-11-30")
    assert body["same_period_last_year"] is None and body["yoy"] == {"count": None, "deaths": None}
    assert body["comparison"] == {
        "from": "2025-01-01",
        "to": "2025-11-30",
        "source": None,
        "note": comparison.NOTE_UNKNOWN,
    }
    assert body["summary"] == (
        "1-11月，全市共发生生产安全事故30起、死亡30人，未发生较大生产安全事故，未发生重大及以上生产安全事故。"
    )
    assert all(r["count_last_year"] is None and r["count_yoy"] == "" for r in body["items"])
    by_kind = stats(city, "region=360400&from=2026-01-01&to=2026-11-30&group_by=category")
    assert by_kind["items"][0]["count_last_year"] is None
    assert "为零" not in str(body) + str(by_kind)

    # the city office enters last year's months (4 accidents, 3 deaths each) from its old ledgers
    for month in range(1, 12):
        created = enter(
            city, region="360400", year=2025, month=month, accidents=4, deaths=3, note="2025年台账"
        )
        assert created.status_code == 201, created.content
    assert created.json()["entered_by"] == "city_office" and created.json()["region_name"] == "江西省九江市"
    body = stats(city, "region=360400&from=2026-01-01&to=2026-11-30")
    last = body["same_period_last_year"]
    assert (last["count"], last["deaths"], last["source"]) == (44, 33, "entered")
    assert last["serious_injuries"] is None  # not entered: not known
    assert body["yoy"] == {"count": -31.8, "deaths": -9.1}
    assert "同比分别下降31.8%、9.1%" in body["summary"]
    assert body["comparison"]["note"] == comparison.NOTE_ENTERED
    # the counties entered nothing: their rows still compare with nothing
    assert all(r["count_last_year"] is None for r in body["items"])

    # a correction: the newest entry of a month counts, the old one stays as history
    assert enter(city, region="360400", year=2025, month=11, accidents=5, deaths=3).status_code == 201
    assert stats(city, "region=360400&from=2026-01-01&to=2026-11-30")["same_period_last_year"]["count"] == 45
    listed = Client().get("/api/v1/bulletins/prior-totals?region=360400&year=2025", **city).json()
    assert listed["count"] == 12 and listed["items"][0]["accidents"] == 5
    assert AuditEntry.objects.filter(model="accidents.priortotals").count() == 12

    # a month's totals cannot stand for part of a month: up to 1 December, last year is not known
    running = stats(city, "region=360400&from=2026-01-01&to=2026-12-01")
    assert running["same_period_last_year"] is None and "同比" not in running["summary"]
    assert running["summary"].startswith("截至12月1日，全市")

    # January against December: the month before, too, may come from an entry
    assert enter(city, region="360400", year=2025, month=12, accidents=6, deaths=2).status_code == 201
    january = stats(city, "region=360400&from=2026-01-01&to=2026-01-31")
    assert (january["previous_month"]["count"], january["previous_month"]["source"]) == (6, "entered")
    assert january["same_period_last_year"]["count"] == 4 and january["mom"]["count"] == -50.0


def test_entering_last_years_totals_is_checked(world, api_token):
    county = api_token("county_office")
    refused = enter(
        api_token("emergency_supervisor"), region="360402", year=2025, month=1, accidents=1, deaths=0
    )
    assert refused.status_code == 403
    out = enter(county, region="360400", year=2025, month=1, accidents=1, deaths=0)
    assert out.status_code == 422 and out.json()["detail"][0]["code"] == "out_of_scope"
    today = timezone.localdate()
    running = enter(county, region="360402", year=today.year, month=today.month, accidents=1, deaths=0)
    assert running.status_code == 422 and running.json()["detail"][0]["field"] == "month"
    negative = enter(county, region="360402", year=2025, month=1, accidents=-1, deaths=0)
    assert negative.status_code == 422 and negative.json()["detail"][0]["field"] == "accidents"
    assert not PriorTotals.objects.exists()


def test_the_same_dates_last_year_and_leap_days(world, api_token):
    city = api_token("city_office")
    accident(dt.date(2023, 1, 5))  # the records begin in January 2023
    accident(dt.date(2024, 2, 29))
    accident(dt.date(2025, 2, 28))
    accident(dt.date(2025, 11, 20))
    accident(dt.date(2025, 12, 15))  # after 1 December: not in "截至12月1日" last year
    accident(dt.date(2026, 11, 30))
    # January–February of 2025 against January–February of the leap year 2024, 29 February included
    body = stats(city, "region=360400&from=2025-01-01&to=2025-02-28")
    assert body["comparison"]["to"] == "2024-02-29" and body["same_period_last_year"]["count"] == 1
    assert body["summary"].startswith(
        "1-2月，全市共发生生产安全事故1起、死亡1人，起数同比持平，死亡人数同比持平"
    )
    leap = stats(city, "region=360400&from=2024-01-01&to=2024-02-29")
    assert leap["comparison"]["to"] == "2023-02-28" and leap["label"] == "1-2月"
    # the year to 1 December against the year to 1 December
    running = stats(city, "region=360400&from=2026-01-01&to=2026-12-01")
    assert running["comparison"] == {
        "from": "2025-01-01",
        "to": "2025-12-01",
        "source": "records",
        "note": "",
    }
    assert running["same_period_last_year"]["count"] == 2 and running["label"] == "截至12月1日"
    # the system was in use last November and nothing happened: that zero is a real one
    november = stats(city, "region=360402&from=2026-11-01&to=2026-11-30")
    assert november["same_period_last_year"]["count"] == 1  # 2025-11-20
    quarter = stats(city, "region=360424&from=2026-10-01&to=2026-12-31")
    assert quarter["same_period_last_year"]["count"] == 0 and "同比持平" in quarter["summary"]
    assert (
        "起数同比增加1起（上年同期为零）"
        in stats(city, "region=360400&from=2026-11-21&to=2026-11-30")["summary"]
    )


def test_last_years_totals_are_read_only_in_scope(world, api_token):
    """Entered totals are scoped like accidents (tests/scope/registry.py names this test for the model)."""
    county = api_token("county_office")
    assert enter(county, region="360402", year=2025, month=3, accidents=2, deaths=1).status_code == 201
    own = Client().get("/api/v1/bulletins/prior-totals?year=2025", **county).json()
    assert own["count"] == 1 and own["items"][0]["region"] == "360402"
    other = Client().get("/api/v1/bulletins/prior-totals?year=2025", **api_token("county_office_b")).json()
    assert other["count"] == 0
    city = Client().get("/api/v1/bulletins/prior-totals?year=2025", **api_token("city_office")).json()
    assert city["count"] == 1
