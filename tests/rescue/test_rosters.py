"""Duty rosters: the units that must keep one (the rule in force, marked unverified) listed until a roster exists for
the day; one per unit and day; the to-do centre counts the missing ones and the flagged stock in one query."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from anquan.core.todo import items_for
from anquan.rescue import duty, stock

from ..conftest import login

pytestmark = pytest.mark.django_db


def _names(user, day):
    return {m.label for m in duty.missing(user, day, user.region.code)}


def test_required_units_are_listed_until_their_roster_exists(world, office, make_team, api_token):
    today = timezone.localdate()
    team = make_team("濂溪区危化救援队", 29.68, 116.0)
    missing = _names(office, today)
    # hazardous chemicals and construction must keep duty (第十四条), and every rescue team
    assert {
        "江西化工测试有限公司",
        "濂溪建筑工程有限公司",
        "九江精细化工有限公司",
        "濂溪区危化救援队",
    } <= missing
    assert "修水化学有限公司" not in missing  # another county
    body = {
        "enterprise": world.chem_t1.uscc,
        "day": today.isoformat(),
        "leader_name": "周",
        "person_name": "吴",
        "phone": "0792-1234567",
    }
    reply = Client().post(
        "/api/v1/duty-rosters", body, content_type="application/json", **api_token("county_office")
    )
    assert reply.status_code == 201, reply.content
    assert reply.json()["unit"] == "江西化工测试有限公司"
    again = Client().post(
        "/api/v1/duty-rosters", body, content_type="application/json", **api_token("county_office")
    )
    assert again.status_code == 409
    duty.create_roster(
        office,
        {"team": team.pk, "day": today.isoformat(), "leader_name": "周", "person_name": "郑", "phone": "119"},
    )
    missing = _names(office, today)
    assert "江西化工测试有限公司" not in missing and "濂溪区危化救援队" not in missing
    assert "江西化工测试有限公司" in _names(office, today + dt.timedelta(days=1))
    page = login(office).get(f"/rescue/rosters/?day={today.isoformat()}").content.decode()
    assert 'data-testid="rule-unverified"' in page and "郑" in page


def test_a_roster_with_missing_fields_names_them(world, api_token):
    body = {"day": "2026-13-01", "leader_name": "", "person_name": "x", "phone": ""}
    reply = Client().post(
        "/api/v1/duty-rosters", body, content_type="application/json", **api_token("county_office")
    )
    assert reply.status_code == 422
    page = login(world.users["county_office"]).post(
        "/rescue/rosters/", {"day": "", "leader_name": "", "person_name": "", "phone": ""}
    )
    assert page.status_code == 422 and "值班日期不能为空" in page.content.decode()


def test_the_todo_counts_flagged_stock_and_missing_rosters(
    world, office, make_depot, django_assert_max_num_queries
):
    depot = make_depot("物资库", 29.68, 116.0)
    stock.add_item(
        office, depot, {"name": "防毒面具", "unit": "个", "quantity": "1", "minimum_quantity": "5"}
    )
    from anquan.rescue import todo

    todo.items(office)  # the duty rule of the day read once
    with django_assert_max_num_queries(1):
        found = {i.kind: i.count for i in todo.items(office)}
    assert found["rescue.below_minimum"] == 1 and found["rescue.expired"] == 0
    assert found["rescue.roster_today"] == 0  # the office owns no team; the enterprises are their own owners
    manager = {i.kind: i.count for i in items_for(world.users["enterprise_manager"])}
    assert (
        manager["rescue.roster_today"] == 1 and "rescue.below_minimum" not in manager
    )  # hazardous chemicals
    duty.create_roster(
        world.users["enterprise_manager"],
        {"day": timezone.localdate().isoformat(), "leader_name": "刘", "person_name": "陈", "phone": "110"},
    )
    manager = {i.kind: i.count for i in items_for(world.users["enterprise_manager"])}
    assert "rescue.roster_today" not in manager and manager["rescue.roster_tomorrow"] == 1
    assert not any(i.kind.startswith("rescue.") for i in items_for(world.users["grid_worker"]))
