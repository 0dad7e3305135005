"""Accident statistics and the official phrasing, checked against the seeds' own figures:
1-11月 99起/104人 against 131起/112人 the year before → "同比分别下降24.4%、7.1%"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from anquan.accidents import phrasing, stats
from anquan.accidents.models import Accident
from anquan.regions.models import Region


def test_percent_change_rounds_half_up_to_one_decimal():
    assert phrasing.percent_change(99, 131) == Decimal("-24.4")  # −24.427…
    assert phrasing.percent_change(104, 112) == Decimal("-7.1")  # −7.142…
    assert phrasing.percent_change(3, 8) == Decimal("-62.5")
    assert phrasing.percent_change(1, 3) == Decimal("-66.7")  # −66.666… rounds away from the half
    assert phrasing.percent_change(9, 8) == Decimal("12.5")


def test_phrases_including_a_zero_base():
    assert phrasing.change(99, 131) == "同比下降24.4%"
    assert phrasing.change(9, 8) == "同比上升12.5%"
    assert phrasing.change(5, 5) == "同比持平"
    assert phrasing.change(0, 0) == "同比持平"
    assert phrasing.change(3, 0, unit="人") == "同比增加3人（上年同期为零）"
    assert phrasing.change(0, 4) == "同比下降100.0%"
    assert phrasing.pair(99, 131, 104, 112) == "同比分别下降24.4%、7.1%"
    assert phrasing.pair(10, 8, 5, 6) == "起数同比上升25.0%，死亡人数同比下降16.7%"
    assert phrasing.pair(2, 0, 1, 1) == "起数同比增加2起（上年同期为零），死亡人数同比持平"


def test_period_labels():
    assert phrasing.period_label(dt.date(2026, 1, 1), dt.date(2026, 11, 30)) == "1-11月"
    assert phrasing.period_label(dt.date(2026, 11, 1), dt.date(2026, 11, 30)) == "11月"
    assert phrasing.period_label(dt.date(2026, 3, 5), dt.date(2026, 4, 3)) == "3月5日至4月3日"
    assert phrasing.period_label(dt.date(2026, 1, 1), dt.date(2026, 12, 1)) == "截至12月1日"
    assert phrasing.period_label(dt.date(2025, 12, 1), dt.date(2026, 1, 3)) == "2025年12月1日至2026年1月3日"


@pytest.mark.django_db
def test_year_to_date_statistics_of_the_city(world, jiujiang_history):
    result = stats.compute(world.users["city_office"], "360400", "2026-01-01", "2026-11-30")
    assert (result["total"]["count"], result["total"]["deaths"]) == (99, 104)
    assert (result["same_period_last_year"]["count"], result["same_period_last_year"]["deaths"]) == (131, 112)
    assert result["yoy"] == {"count": -24.4, "deaths": -7.1}
    assert result["summary"] == (
        "1-11月，全市共发生生产安全事故99起、死亡104人，同比分别下降24.4%、7.1%，"
        "发生较大生产安全事故1起，未发生重大及以上生产安全事故。"
    )
    by_county = {row["key"]: row for row in result["items"]}
    assert len(by_county) == 13 and sum(r["count"] for r in by_county.values()) == 99
    assert sum(r["count_last_year"] for r in by_county.values()) == 131


@pytest.mark.django_db
def test_month_on_month_and_grouping_by_category_across_editions(world, jiujiang_history):
    november = stats.compute(world.users["city_office"], "360400", "2026-11-01", "2026-11-30", "category")
    october = stats.compute(world.users["city_office"], "360400", "2026-10-01", "2026-10-31")
    assert november["previous_month"]["count"] == october["total"]["count"]
    assert "mom" in november and "mom" not in stats.compute(
        world.users["city_office"], "360400", "2026-01-01", "2026-11-30"
    )
    year = stats.compute(world.users["city_office"], "360400", "2026-01-01", "2026-11-30", "category")
    # GB 6441-2025 物体打击 (from July) and GB 6441-1986 物体打击 (before) are one statistical kind
    assert [(r["label"], r["count"], r["count_last_year"]) for r in year["items"]] == [("物体打击", 99, 131)]


@pytest.mark.django_db
def test_county_sees_only_its_county_and_the_api_phrases_it(world, jiujiang_history, api_token):
    body = (
        Client()
        .get(
            "/api/v1/stats/accidents?region=360402&from=2026-01-01&to=2026-11-30&group_by=grade",
            **api_token("county_office"),
        )
        .json()
    )
    own = Accident.objects.filter(region_code__startswith="360402", occurred_at__year=2026).count()
    assert body["total"]["count"] == own and body["summary"].startswith("1-11月，全区共发生")
    refused = Client().get("/api/v1/stats/accidents?region=360400", **api_token("county_office"))
    assert refused.status_code == 422
    wrong = Client().get(
        "/api/v1/stats/accidents?from=2026-05-01&to=2026-04-01", **api_token("county_office")
    )
    assert wrong.status_code == 422


@pytest.mark.django_db
def test_area_words(reference):
    names = {"360000": "全省", "360400": "全市", "360402": "全区", "360424": "全县", "360481": "全市"}
    for code, word in names.items():
        assert phrasing.area_word(Region.objects.get(code=code)) == word
    towns = {
        r.name[-2:] if r.name.endswith("街道") else r.name[-1]: r
        for r in Region.objects.filter(level=4, code__startswith="3604")
    }
    assert phrasing.area_word(towns["街道"]) == "全街道"
    assert phrasing.area_word(towns["镇"]) == "全镇" and phrasing.area_word(towns["乡"]) == "全乡"
