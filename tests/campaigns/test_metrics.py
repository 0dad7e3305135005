"""Automatic targets read from the system's data, against figures counted by hand (campaigns.metrics)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from anquan.accounts.models import EnforcementCertificate
from anquan.campaigns import metrics, services
from anquan.campaigns.models import Target
from anquan.hazards.models import Hazard
from anquan.orgs.models import Department
from anquan.regions.models import Region
from anquan.riskreports.models import RiskReport

from .helpers import city_campaign

pytestmark = pytest.mark.django_db


def hazard(e, *, status="rectifying", level="general", found_at=None):
    return Hazard.objects.create(
        enterprise=e,
        region=e.region,
        industry=e.industry,
        source="self_check",
        description="测试隐患",
        found_at=found_at or timezone.now(),
        status=status,
        level=level,
        region_code=e.region_code,
        supervising_department=e.supervising_department,
    )


def test_the_figures_of_lianxi_and_of_its_emergency_bureau(world):
    today = timezone.localdate()
    hazard(world.chem_t1, status="closed")
    hazard(world.chem_t1, level="major")
    hazard(world.chem_t2)
    hazard(world.build_t1, status="closed")
    hazard(world.chem_t1, status="cancelled")  # not a hazard: left out
    hazard(
        world.chem_t1, found_at=timezone.now() - dt.timedelta(days=400)
    )  # found last year: not this year's
    hazard(world.chem_xiushui, level="major")  # another county
    RiskReport.objects.create(
        enterprise=world.chem_t1, year=today.year, region_code=world.chem_t1.region_code, status="submitted"
    )
    RiskReport.objects.create(
        enterprise=world.chem_t2, year=today.year, region_code=world.chem_t2.region_code, status="draft"
    )
    EnforcementCertificate.objects.create(
        user=world.users["inspector"],
        number="JX-001",
        issuing_authority="江西省人民政府",
        valid_from=today - dt.timedelta(days=10),
        valid_until=today + dt.timedelta(days=10),
    )
    lianxi = Region.objects.get(code="360402").prefix
    emergency = Department.objects.get(name="应急管理局").pk
    # 濂溪区: this year 4 hazards (chem_t1 ×2, chem_t2, build_t1), 2 closed → 50.0
    assert metrics.hazard_rectification_rate(lianxi, None, today) == Decimal("50.0")
    # its 应急管理局: chem_t1 ×2 and chem_t2, 1 closed → 33.3
    assert metrics.hazard_rectification_rate(lianxi, emergency, today) == Decimal("33.3")
    # the old hazard of chem_t1 (last year, still open) and this year's major one are open; only one major
    assert metrics.major_hazards_open(lianxi, None, today) == 1
    # enterprises of 濂溪区: 3; reported (submitted or accepted) 1 → 33.3
    assert metrics.risk_report_coverage(lianxi, None, today) == Decimal("33.3")
    assert metrics.certified_inspectors(lianxi, emergency, today) == 1
    assert metrics.certified_inspectors(lianxi, emergency, today + dt.timedelta(days=11)) == 0


def test_an_automatic_target_shows_the_figure_with_its_day(world):
    hazard(world.chem_t1, level="major")
    campaign = city_campaign(world)
    lianxi = Region.objects.get(code="360402")
    line = services.create_task(
        campaign,
        number="1",
        title="重大隐患清零",
        units=[
            {"role": "implement", "text": "濂溪区", "kind": "region", "region": lianxi, "department": None}
        ],
        targets=[
            {
                "name": "重大隐患清零",
                "unit": "项",
                "planned": "0",
                "source": "automatic",
                "metric": "major_hazards_open",
            }
        ],
        actor=world.users["city_office"],
    )
    target = Target.objects.get(task=line)
    from tests.conftest import login

    page = login(world.users["city_office"]).get(f"/campaigns/tasks/{line.pk}/").content.decode()
    assert "系统自动取数：重大隐患未整改数（" + timezone.localdate().isoformat() + "）" in page
    reading = metrics.read(target)
    assert reading is not None and reading.value == 1  # the city's campaign line counts the whole city
    assert metrics.hit(target, reading.value) is False
