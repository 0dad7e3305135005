"""The campaign-progress section (专项整治推进情况) of the monthly dispatch and the quarterly bulletin: the city's
campaign of 239 lines with 227 verified done reads 完成率95.0% in the .docx and on the dashboard page."""

from __future__ import annotations

import datetime as dt

from anquan.bulletins import generate
from anquan.campaigns.models import Campaign
from anquan.regions.models import Region

from ..campaigns.test_api import seed_239
from ..conftest import login
from .conftest import TODAY, docx_text, read_docx

HEADING = "专项整治推进情况"


def city_campaign() -> Campaign:
    campaign = Campaign.objects.create(
        region=Region.objects.get(code="360400"),
        name="九江市“十大攻坚战”",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        status="active",
    )
    seed_239(campaign)  # verified on the 15th of January … November 2026; 3 overdue, 9 in progress
    return campaign


def text_of(user, raw: dict) -> str:
    bulletin = generate.generate(user, {"region": "360400", "year": 2026, **raw}, today=TODAY)
    with bulletin.file.open("rb") as handle:
        return docx_text(read_docx(handle.read()))


def test_the_monthly_dispatch_and_the_dashboard_state_95_0(world):
    city_campaign()
    office = world.users["city_office"]
    sentence = "九江市“十大攻坚战”239项任务，已完成227项，完成率95.0%，逾期3项。"
    text = text_of(office, {"kind": "monthly_dispatch", "month": 11})
    assert HEADING in text and sentence in text
    page = login(office).get("/bulletins/dashboard/?region=360400&period=month&year=2026&month=11")
    assert sentence in page.content.decode()


def test_the_figure_is_as_of_the_periods_end_and_absent_without_a_campaign(world):
    office = world.users["city_office"]
    assert HEADING not in text_of(office, {"kind": "monthly_dispatch", "month": 10})
    city_campaign()
    # by 30 June the lines verified in January … June: 227 lines verified on the 15th of month 1 + i % 11
    june = sum(1 for i in range(227) if 1 + i % 11 <= 6)
    text = text_of(office, {"kind": "quarterly_bulletin", "quarter": 2})
    assert f"239项任务，已完成{june}项" in text
