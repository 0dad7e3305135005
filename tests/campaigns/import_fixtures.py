"""A campaign of 高安市 (360983, a county-level city of 宜春市) and its office, for the import tests."""

import datetime as dt
from pathlib import Path

import pytest

from anquan.campaigns.models import Campaign
from anquan.regions.models import Region

SEED = Path("/work/shared/seeds/003_cf1649d899ee151a.txt")
SEED_COPY = Path(__file__).parent / "data" / "gaoan_2024_work_points.txt"
GAOAN = "360983"


def seed_text() -> str:
    return SEED_COPY.read_text(encoding="utf-8")


@pytest.fixture(name="gaoan")
def gaoan_fixture(world):
    from anquan.accounts.services import create_user

    from ..conftest import PASSWORD

    office = create_user(
        actor=None, username="gaoan_office", role="county_office", password=PASSWORD, region_code=GAOAN
    )
    campaign = Campaign.objects.create(
        region=Region.objects.get(code=GAOAN),
        name="高安市2024年安全生产工作要点",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 12, 31),
    )
    return campaign, office
