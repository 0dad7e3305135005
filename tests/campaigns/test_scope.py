"""Who sees a campaign's tasks: a task lies in its responsible unit's region and department (campaigns.models)."""

import datetime as dt

import pytest

from anquan.campaigns.models import Campaign, Task
from anquan.core.scope import restrict
from anquan.orgs.models import Department
from anquan.regions.models import Region

pytestmark = pytest.mark.django_db


def test_a_task_is_seen_by_its_units_region_and_department(world):
    city = Region.objects.get(code="360400")
    campaign = Campaign.objects.create(
        region=city,
        name="安全生产治本攻坚三年行动",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    emergency = Department.objects.get(name="应急管理局")
    lianxi, xiushui = Region.objects.get(code="360402"), Region.objects.get(code="360424")
    line = Task.objects.create(
        campaign=campaign, number="1", title="开展重大事故隐患专项排查整治", region=city
    )
    ours = Task.objects.create(
        campaign=campaign, parent=line, number="1", title=line.title, region=lianxi, department=emergency
    )
    theirs = Task.objects.create(campaign=campaign, parent=line, number="1", title=line.title, region=xiushui)

    def seen(persona):
        return set(restrict(Task, world.users[persona]))

    assert seen("city_office") == {line, ours, theirs}
    assert seen("county_office") == {ours}
    assert seen("county_office_b") == {theirs}
    assert seen("emergency_supervisor") == {ours}
    assert seen("housing_supervisor") == set()  # the county's 住建局 has no task here
    assert seen("enterprise_manager") == set()
    assert (
        list(restrict(Campaign, world.users["county_office"])) == []
    )  # the city's campaign, seen through tasks
