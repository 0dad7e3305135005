"""The demo's campaigns: the province's 十大攻坚战 with 239 tasks of which 227 verified done (完成率95.0%), and 九江's
campaign adopting its tasks for every city, broken down to the counties, some parts in progress, some overdue."""

import pytest

from anquan.accounts.services import create_user
from anquan.campaigns import stats
from anquan.campaigns.models import Campaign, Task
from anquan.demo.campaigns import build_campaigns
from anquan.orgs.models import Department, SafetyCommittee
from anquan.regions.models import Region
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_demo_campaigns(reference):
    for username, role, region in [
        ("province", "province_office", "360000"),
        ("jiujiang", "city_office", "360400"),
        ("lianxi", "county_office", "360402"),
        ("xiushui", "county_office", "360424"),
    ]:
        create_user(actor=None, username=username, role=role, password=PASSWORD, region_code=region)
    committee = SafetyCommittee.objects.create(
        region=Region.objects.get(code="360000"), name="省安委会", office_name="省安委办"
    )
    committee.members.set(Department.objects.all())
    build_campaigns()
    province = Campaign.objects.get(region__code="360000")
    figures = stats.progress(province, province.created_by)
    assert (figures["total"], figures["verified_done"], figures["rate"]) == (239, 227, "95.0")
    assert [b["total"] for b in figures["by_battle"]] == [30, 28, 26, 24, 22, 24, 22, 20, 21, 22]
    assert province.stages.count() == 3 and province.battles.count() == 10
    city = Campaign.objects.get(region__code="360400")
    assert city.parent == province
    lines = city.tasks.filter(parent__isnull=True)
    assert lines.count() == 8 and all(line.adopted_from_id for line in lines)
    parts = Task.objects.filter(campaign=city, parent__isnull=False, department=None)
    assert parts.filter(region__code="360402").exists()
    statuses = set(parts.values_list("status", flat=True))
    assert {"in_progress", "overdue", "verified_done"} <= statuses
    build_campaigns()  # a second run adds nothing
    assert Campaign.objects.count() == 2
