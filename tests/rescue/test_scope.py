"""Teams, depots, their stock and rosters are seen in their owner's region (and by the owner enterprise's users);
out of scope every page and API route answers 404 and changes nothing."""

import pytest
from django.test import Client

from anquan.rescue import duty, stock
from anquan.rescue.models import RescueTeam, SupplyDepot

from ..conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def forces(make_depot, make_team, office, world):
    depot = make_depot("濂溪区物资库", 29.68, 116.0)
    item = stock.add_item(office, depot, {"name": "防化服", "unit": "套", "quantity": "5"})
    team = make_team("濂溪区危化救援队", 29.68, 116.01)
    own = make_team("企业救援队", 29.69, 116.0, actor=world.users["enterprise_manager"], kind="enterprise")
    roster = duty.create_roster(
        office,
        {"team": team.pk, "day": "2026-01-05", "leader_name": "王", "person_name": "赵", "phone": "110"},
    )
    return depot, item, team, own, roster


def test_another_county_gets_404_everywhere(forces, api_token):
    depot, item, team, own, roster = forces
    other = login_b = Client()
    from anquan.accounts.models import User

    login_b.force_login(User.objects.get(username="county_office_b"))
    for url in (
        f"/rescue/teams/{team.pk}/",
        f"/rescue/teams/{team.pk}/edit/",
        f"/rescue/depots/{depot.pk}/",
        f"/rescue/depots/{depot.pk}/edit/",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        other.post(
            f"/rescue/depots/{depot.pk}/movements/",
            {"item": item.pk, "direction": "out", "quantity": "1", "reason": "x"},
        ).status_code
        == 404
    )
    assert "濂溪区物资库" not in other.get("/rescue/depots/").content.decode()
    assert "濂溪区危化救援队" not in other.get("/rescue/teams/").content.decode()
    token = api_token("county_office_b")
    api = Client()
    assert api.get(f"/api/v1/rescue-teams/{team.pk}", **token).status_code == 404
    assert api.get(f"/api/v1/supply-depots/{depot.pk}", **token).status_code == 404
    assert (
        api.patch(
            f"/api/v1/rescue-teams/{team.pk}", {"name": "改"}, content_type="application/json", **token
        ).status_code
        == 404
    )
    assert (
        api.post(
            f"/api/v1/supply-depots/{depot.pk}/movements",
            {"item": item.pk, "direction": "out", "quantity": "1", "reason": "x"},
            content_type="application/json",
            **token,
        ).status_code
        == 404
    )
    assert api.get("/api/v1/supply-depots", **token).json()["count"] == 0
    assert api.get("/api/v1/duty-rosters?from=2026-01-01&to=2026-01-31", **token).json()["count"] == 0
    assert RescueTeam.objects.get(pk=team.pk).name == "濂溪区危化救援队"
    assert SupplyDepot.objects.get(pk=depot.pk).items.get().quantity == 5


def test_the_enterprise_sees_its_own_team_only(forces, api_token):
    depot, item, team, own, roster = forces
    reply = Client().get("/api/v1/rescue-teams", **api_token("enterprise_manager")).json()
    assert [t["name"] for t in reply["items"]] == ["企业救援队"]
    assert reply["items"][0]["enterprise"] == own.enterprise.uscc
    assert (
        Client().get(f"/api/v1/rescue-teams/{team.pk}", **api_token("enterprise_manager")).status_code == 404
    )


def test_a_grid_worker_may_see_but_not_register(forces, world, api_token, make_depot):
    depot, item, team, own, roster = forces
    township = make_depot("十里街道物资点", 29.68, 116.0, region=world.t1.code)
    token = api_token("grid_worker")
    assert Client().get(f"/api/v1/supply-depots/{township.pk}", **token).status_code == 200
    assert Client().get(f"/api/v1/supply-depots/{depot.pk}", **token).status_code == 404  # the county's own
    body = {
        "name": "网格队",
        "kind": "volunteer",
        "speciality": "flood",
        "address": "x",
        "latitude": 29.7,
        "longitude": 116,
        "contact_name": "a",
        "contact_phone": "1",
    }
    assert (
        Client().post("/api/v1/rescue-teams", body, content_type="application/json", **token).status_code
        == 403
    )
    assert login(world.users["grid_worker"]).get("/rescue/teams/new/").status_code == 403
