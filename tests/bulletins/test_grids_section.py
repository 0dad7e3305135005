"""The grids and public section (网格化管理和群众举报情况) of the monthly dispatch and the quarterly bulletin: small
venues registered and checked, patrols done and missed, tip-offs received, substantiated and rewarded — counted
by hand on rows created directly, in the dashboard page and the generated .docx."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from anquan.bulletins import generate
from anquan.core import periods
from anquan.grids.models import PatrolPlan, PatrolTask
from anquan.regions.models import Grid, Region
from anquan.tipoffs.models import TipOff
from anquan.venues.models import SmallVenue, VenueCheck

from ..conftest import login
from .conftest import TODAY, docx_text, read_docx

HEADING = "网格化管理和群众举报情况"
_codes = itertools.count(1)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def venue(region: Region, *, checks: tuple[dt.date, ...] = (), status: str = "open") -> SmallVenue:
    n = next(_codes)
    made = SmallVenue.objects.create(
        kind="small_restaurant",
        name=f"小吃店{n}",
        address=f"十里大道{n}号",
        region=region,
        owner_name="王强",
        owner_phone="13800138000",
        status=status,
        public_code=f"TESTV{n:04d}",
    )
    SmallVenue.objects.filter(pk=made.pk).update(created_at=at(dt.date(2026, 10, 1)))  # registered 1 October
    for day in checks:
        VenueCheck.objects.create(venue=made, on=day, month=f"{day:%Y-%m}", source="patrol", ok=True)
    return made


def patrol(grid: Grid, day: dt.date, status: str) -> PatrolTask:
    plan, _ = PatrolPlan.objects.get_or_create(grid=grid, defaults={"frequency": "week"})
    return PatrolTask.objects.create(
        plan=plan,
        grid=grid,
        region_code=grid.region_code,
        frequency="week",
        period_start=at(day),
        period_end=at(day + dt.timedelta(days=7)),
        status=status,
    )


def tipoff(region: Region, day: dt.date, status: str, reward: str | None = None) -> TipOff:
    n = next(_codes)
    return TipOff.objects.create(
        tracking_code=f"T{n:09d}",
        kind="hazard",
        description="楼道堆放杂物堵塞安全出口",
        address="十里大道",
        region=region,
        status=status,
        reward_amount=Decimal(reward) if reward else None,
        submitted_at=at(day),
    )


def seed(world) -> None:
    """濂溪区 in November 2026: 3 venues in business (one closed, one in 修水县 beside them), 2 of them checked
    (one twice) in November and the third in October; patrols 2 done, 1 missed, 1 open (and one done in
    October); tip-offs 3 (one rewarded and paid 3000 yuan, one reward decided 5000 yuan and not paid, one not
    accepted), one paid 1000 yuan in October; 修水县's rows are out of the county office's sight."""
    xiushui = Region.objects.get(code="360424")
    nov, oct_ = (lambda d: dt.date(2026, 11, d)), (lambda d: dt.date(2026, 10, d))
    venue(world.t1, checks=(nov(5),))
    venue(world.t2, checks=(nov(6), nov(20)))
    venue(world.t1, checks=(oct_(20),))
    venue(world.t1, checks=(nov(7),), status="closed")
    venue(xiushui, checks=(nov(7),))
    grid = Grid.objects.create(region=world.t1, code="G-T1-BUL", name="十里一网格")
    other = Grid.objects.create(region=xiushui, code="G-XS-BUL", name="修水网格")
    patrol(grid, nov(2), "done")
    patrol(grid, nov(9), "done")
    patrol(grid, nov(16), "missed")
    patrol(grid, nov(23), "open")
    patrol(grid, oct_(26), "done")
    patrol(other, nov(2), "missed")
    tipoff(world.t1, nov(5), "reward_paid", "3000")
    tipoff(world.t2, nov(8), "reward_decided", "5000")
    tipoff(world.t1, nov(12), "rejected")
    tipoff(world.t1, oct_(30), "reward_paid", "1000")
    tipoff(xiushui, nov(5), "reward_paid", "8000")


NOVEMBER = "11月，全区登记“九小”场所3家，检查2家（覆盖率66.7%）；网格员巡查2次，漏巡1次；受理群众举报3件，查实2件，兑现奖励3000元。"


def bulletin_text(user, raw: dict) -> str:
    bulletin = generate.generate(user, {"region": "360402", "year": 2026, **raw}, today=TODAY)
    with bulletin.file.open("rb") as handle:
        return docx_text(read_docx(handle.read()))


def test_the_monthly_dispatch_and_the_dashboard_carry_the_hand_counted_sentence(world):
    seed(world)
    office = world.users["county_office"]
    text = bulletin_text(office, {"kind": "monthly_dispatch", "month": 11})
    assert HEADING in text and NOVEMBER in text
    page = login(office).get("/bulletins/dashboard/?region=360402&period=month&year=2026&month=11")
    assert page.status_code == 200 and NOVEMBER in page.content.decode()


def test_the_quarterly_bulletin_counts_its_quarter_so_far(world):
    seed(world)
    text = bulletin_text(
        world.users["county_office"], {"kind": "quarterly_bulletin", "quarter": 4, "confirm_incomplete": True}
    )
    label = periods.label(dt.date(2026, 10, 1), TODAY)
    assert (
        f"{label}，全区登记“九小”场所3家，检查3家（覆盖率100.0%）；网格员巡查3次，漏巡1次；"
        "受理群众举报4件，查实3件，兑现奖励4000元。"
    ) in text


def test_the_section_is_left_out_when_every_figure_is_zero(world):
    seed(world)  # every venue registered on 1 October, every patrol and tip-off in October or November
    text = bulletin_text(world.users["county_office"], {"kind": "monthly_dispatch", "month": 9})
    assert HEADING not in text
