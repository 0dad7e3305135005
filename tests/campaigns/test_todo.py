"""The to-do centre: a county its parts to do and overdue, the city office the parts reported done to verify."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.campaigns import services
from anquan.core.todo import items_for
from tests.conftest import login

from .helpers import city_campaign, counties_task

pytestmark = pytest.mark.django_db


def todo(user) -> dict[str, int]:
    return {i.kind: i.count for i in items_for(user) if i.kind.startswith("campaigns.")}


def test_units_and_the_office_see_what_waits_for_them(world):
    campaign = city_campaign(world)
    counties_task(campaign, world, number="1")
    late = counties_task(campaign, world, number="2", deadline=timezone.localdate() - dt.timedelta(days=1))
    from anquan.campaigns.workflow import mark_overdue

    mark_overdue()
    county, city = world.users["county_office"], world.users["city_office"]
    assert todo(county) == {"campaigns.mine": 1, "campaigns.overdue": 1}
    assert todo(world.users["emergency_supervisor"]) == {}  # the county's bureau carries no part here
    part = late.subtasks.get(region__code="360402")
    services.task_transition(part, "report_done", actor=county, comment="已整改")
    assert todo(city) == {"campaigns.review": 1}
    page = login(city).get("/campaigns/tasks/?view=review").content.decode()
    assert "待审核完成的专项整治任务" in page and f'data-task="{part.pk}"' in page
    mine = login(county).get("/campaigns/tasks/?view=mine").content.decode()
    assert mine.count("data-task=") == 1
