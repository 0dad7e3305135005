"""The pages: a team registered through its form (errors beside the fields, a location outside China refused), the
depot form, the search page (a point typed in or an enterprise's location), the figures of the region."""

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from anquan.rescue import stats, stock
from anquan.rescue.models import RescueTeam, TeamMember

from ..conftest import login

pytestmark = pytest.mark.django_db


def test_a_team_is_registered_with_its_members_and_a_bad_location_is_refused(world, office):
    client = login(office)
    assert client.get("/rescue/teams/new/").status_code == 200
    form = {
        "name": "濂溪区危化品应急救援队",
        "kind": "professional",
        "speciality": "hazardous_chemicals",
        "readiness": "ready",
        "address": "十里大道1号",
        "latitude": "19.5",
        "longitude": "160.2",
        "contact_name": "刘",
        "contact_phone": "0792-8888888",
        "equipment": "抢险救援车\n防化服 20套",
        "members": "刘一,队长,13900000001\n陈二,队员,13900000002",
        "department": "emergency",
    }
    refused = client.post("/rescue/teams/new/", form)
    assert refused.status_code == 422
    assert 'data-testid="error-longitude"' in refused.content.decode() and not RescueTeam.objects.exists()
    done = client.post("/rescue/teams/new/", form | {"latitude": "29.68", "longitude": "116.02"})
    assert done.status_code == 302
    team = RescueTeam.objects.get()
    assert team.member_count == 2 and team.department.name == "应急管理局" and team.region_code == "360402"
    assert [m.name for m in TeamMember.objects.filter(team=team)] == ["刘一", "陈二"]
    detail = client.get(f"/rescue/teams/{team.pk}/").content.decode()
    assert "防化服 20套" in detail and "13900000002" in detail
    assert (
        client.post(
            f"/rescue/teams/{team.pk}/edit/",
            form | {"latitude": "29.68", "longitude": "116.02", "readiness": "deployed"},
        ).status_code
        == 302
    )
    assert RescueTeam.objects.get().readiness == "deployed"


def test_the_depot_form_and_the_search_page(world, office, make_depot):
    client = login(office)
    made = client.post(
        "/rescue/depots/new/",
        {
            "name": "濂溪区物资库",
            "address": "莲花镇",
            "latitude": "29.66",
            "longitude": "115.99",
            "contact_name": "孙",
            "contact_phone": "0792-1",
        },
    )
    assert made.status_code == 302
    world.chem_t1.latitude, world.chem_t1.longitude = 29.67, 116.0
    world.chem_t1.save()
    page = client.get(f"/rescue/search/?enterprise={world.chem_t1.pk}")
    html = page.content.decode()
    assert page.status_code == 200 and "濂溪区物资库" in html and 'data-testid="distance"' in html
    bad = client.get("/rescue/search/?near=91,500")
    assert bad.status_code == 422 and 'data-testid="error-near"' in bad.content.decode()
    for url in (
        "/rescue/teams/",
        "/rescue/depots/",
        "/rescue/rosters/",
        "/rescue/stats/",
        "/rescue/stock/flagged/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_figures_of_a_region(world, office, make_depot, make_team, api_token):
    make_team("专业队", 29.68, 116.0, member_count="30")
    make_team("志愿队", 29.68, 116.0, kind="volunteer", member_count="12")
    depot = make_depot("物资库", 29.68, 116.0)
    stock.add_item(
        office, depot, {"name": "防毒面具", "unit": "个", "quantity": "1", "minimum_quantity": "5"}
    )
    stock.add_item(
        office, depot, {"name": "急救包", "unit": "个", "quantity": "9", "expires_on": "2020-01-01"}
    )
    s = stats.summary(office, "360402", timezone.localdate())
    assert (s["teams"], s["members"], s["depots"], s["items_below_minimum"], s["items_expired"]) == (
        2,
        42,
        1,
        1,
        1,
    )
    assert {k["kind"]: k["count"] for k in s["teams_by_kind"]} == {
        "professional": 1,
        "enterprise": 0,
        "volunteer": 1,
    }
    assert s["units_missing_roster"] == 3 + 2  # three enterprises, two teams
    # the same figures in the emergency statistics of the API
    body = Client().get("/api/v1/stats/emergency", **api_token("county_office")).json()
    assert body["rescue"]["teams"] == 2 and body["rescue"]["items_below_minimum"] == 1
    assert body["rescue"]["units_missing_roster"] == 5
    other = stats.summary(world.users["county_office_b"], "360424", timezone.localdate())
    assert other["teams"] == 0
    with pytest.raises(Http404):  # another county's figures
        stats.summary(world.users["county_office_b"], "360402", timezone.localdate())
