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


def test_dashboards_start_on_the_last_complete_period(world, jiujiang_history):
    from django.utils import timezone

    from anquan.core import periods

    from ..conftest import login

    today = timezone.localdate()
    year, month = periods.last_complete("month", today)
    client = login(world.users["city_office"])
    page = client.get("/bulletins/dashboard/").content.decode()
    assert f'data-testid="period-name">{year}年{month}月<' in page  # a month that has ended
    assert 'data-testid="incomplete-note"' not in page
    quarter_year, quarter = periods.last_complete("quarter", today)
    page = client.get("/bulletins/dashboard/?period=quarter").content.decode()
    assert f'data-testid="period-name">{quarter_year}年{periods.QUARTER_NAMES[quarter]}<' in page
    # the running month, asked for, says so and how it compares
    page = client.get(
        f"/bulletins/dashboard/?period=month&year={today.year}&month={today.month}"
    ).content.decode()
    assert f"（截至{today.month}月{today.day}日）" in page and 'data-testid="incomplete-note"' in page

    span = periods.year_to_date(today)
    stats_page = client.get("/hazards/stats/").content.decode()
    assert f'data-testid="period-label">{periods.full_label(span.start, span.end)}<' in stats_page
    assert f'value="{span.end.isoformat()}"' in stats_page
    everything = client.get("/hazards/stats/?found_from=&found_to=").content.decode()
    assert 'data-testid="period-label"' not in everything


def test_the_page_to_enter_last_years_totals(world):
    from anquan.accidents.models import PriorTotals

    from ..conftest import login

    client = login(world.users["county_office"])
    page = client.get("/bulletins/last-year/?year=2025")
    assert page.status_code == 200 and 'data-testid="prior-form"' in page.content.decode()
    bad = client.post(
        "/bulletins/last-year/", {"region": "360402", "year": "2025", "month": "3", "deaths": "0"}
    )
    html = bad.content.decode()
    assert 'data-testid="error-accidents"' in html and "请填写数字（没有则填0）" in html
    assert not PriorTotals.objects.exists()
    saved = client.post(
        "/bulletins/last-year/",
        {"region": "360402", "year": "2025", "month": "3", "accidents": "2", "deaths": "1", "note": "年报"},
    )
    assert saved.status_code == 302 and saved["Location"] == "/bulletins/last-year/?region=360402&year=2025"
    listing = client.get(saved["Location"]).content.decode()
    assert "年报" in listing and 'data-month="3"><td>3月</td>' in listing.replace("\n", "")
    # another county's page is not found; a department sees the figures but gets no form
    assert client.get("/bulletins/last-year/?region=360424").status_code == 404
    supervisor = (
        login(world.users["emergency_supervisor"]).get("/bulletins/last-year/?year=2025").content.decode()
    )
    assert "年报" in supervisor and 'data-testid="prior-form"' not in supervisor
