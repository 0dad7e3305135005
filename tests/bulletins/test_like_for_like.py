"""Like-for-like comparison in generated bulletins: a first year of use states no 同比 (never "上年同期为零")
until the office enters last year's totals; a period not yet ended is refused until confirmed, then titled
"（截至12月1日）" and compared with the same dates last year."""

import pytest
from django.test import Client

from anquan.accidents import comparison, prior_totals
from anquan.bulletins import generate
from anquan.bulletins.models import Bulletin
from anquan.jobs.models import Job
from anquan.regions.models import Region

from .conftest import TODAY, docx_text, read_docx, seed, table_rows

pytestmark = pytest.mark.django_db


def monthly_dispatch(user):
    raw = {"kind": "monthly_dispatch", "region": "360400", "year": 2026, "month": 11}
    bulletin = generate.generate(user, raw, today=TODAY)
    with bulletin.file.open("rb") as handle:
        document = read_docx(handle.read())
    return docx_text(document), table_rows(document.tables[0])


def test_a_first_year_bulletin_compares_only_with_entered_totals(world):
    counties = list(Region.objects.filter(parent__code="360400").values_list("code", flat=True))
    seed(2026, [1] * 30, counties)  # the system's first year: nothing recorded before January 2026
    city = world.users["city_office"]

    text, rows = monthly_dispatch(city)
    assert "1-11月，全市共发生生产安全事故30起、死亡30人，未发生较大生产安全事故" in text
    assert "为零" not in text and "同比上升" not in text and "同比下降" not in text
    assert comparison.NOTE_UNKNOWN in text
    assert rows[-1] == ["合计", "2", "2", "30", "30", "—", "—"]  # 11月 and 1-11月; no comparison

    for month in range(1, 12):
        prior_totals.enter(
            city, {"region": "360400", "year": 2025, "month": month, "accidents": 4, "deaths": 3}
        )
    text, rows = monthly_dispatch(city)
    assert "1-11月，全市共发生生产安全事故30起、死亡30人，同比分别下降31.8%、9.1%" in text
    assert "11月，全市共发生生产安全事故2起、死亡2人，同比分别下降50.0%、33.3%" in text
    assert comparison.NOTE_ENTERED in text and comparison.NOTE_UNKNOWN not in text
    assert rows[-1] == ["合计", "2", "2", "30", "30", "下降31.8%", "下降9.1%"]
    assert rows[1][-2:] == ["—", "—"]  # a county whose last year nobody entered


def test_a_running_period_is_generated_only_once_confirmed(world, api_token):
    city = api_token("city_office")
    body = {"kind": "quarterly_bulletin", "region": "360400", "year": 2026, "quarter": 4}
    warned = Client().post("/api/v1/bulletins", body, content_type="application/json", **city)
    assert warned.status_code == 422
    [error] = warned.json()["detail"]
    assert (error["field"], error["code"]) == ("confirm_incomplete", "period_not_ended")
    assert error["message"].startswith("2026年第四季度尚未结束：数据统计截至")
    assert not Job.objects.exists() and not Bulletin.objects.exists()
    confirmed = Client().post(
        "/api/v1/bulletins", {**body, "confirm_incomplete": True}, content_type="application/json", **city
    )
    assert confirmed.status_code == 202

    # the page: the warning with a box to tick, nothing queued until it is ticked
    from ..conftest import login

    page = login(world.users["city_office"]).post(
        "/bulletins/generate/", {"form_key": "w-1", **{k: str(v) for k, v in body.items()}}
    )
    html = page.content.decode()
    assert 'data-testid="incomplete-warning"' in html and 'name="confirm_incomplete"' in html
    assert Job.objects.count() == 1


def test_a_running_quarter_in_the_document(world):
    seed(2025, [1] * 22, ["360402"])  # 2 in each month, January–November 2025
    seed(2026, [1] * 11, ["360402"])
    raw = {
        "kind": "quarterly_bulletin",
        "region": "360402",
        "year": 2026,
        "quarter": 4,
        "confirm_incomplete": "1",
    }
    bulletin = generate.generate(world.users["county_office"], raw, today=TODAY)
    with bulletin.file.open("rb") as handle:
        text = docx_text(read_docx(handle.read()))
    assert bulletin.title == "濂溪区2026年第四季度（截至12月1日）安全生产形势通报"
    # 10月1日至12月1日: 2 accidents this year against 4 on the same dates last year
    assert "10月1日至12月1日，全区共发生生产安全事故2起、死亡2人，同比分别下降50.0%、50.0%" in text
    assert "截至12月1日，全区共发生生产安全事故11起、死亡11人，同比分别下降50.0%、50.0%" in text
