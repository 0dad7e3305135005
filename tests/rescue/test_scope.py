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


def test_a_grid_worker_sees_the_county_s_forces_but_registers_none(forces, world, api_token, make_depot):
    """A grid worker dispatching help sees the county's own depot (ADR 0057) but changes nothing of it."""
    depot, item, team, own, roster = forces
    township = make_depot("十里街道物资点", 29.68, 116.0, region=world.t1.code)
    token = api_token("grid_worker")
    assert Client().get(f"/api/v1/supply-depots/{township.pk}", **token).status_code == 200
    assert Client().get(f"/api/v1/supply-depots/{depot.pk}", **token).status_code == 200  # the county's own
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
    moved = Client().post(
        f"/api/v1/supply-depots/{depot.pk}/movements",
        {"item": item.pk, "direction": "out", "quantity": "1", "reason": "x"},
        content_type="application/json",
        **token,
    )
    assert moved.status_code == 403
    assert SupplyDepot.objects.get(pk=depot.pk).items.get().quantity == 5


@pytest.fixture
def township_t2(world):
    from anquan.accounts.services import create_user

    from ..conftest import PASSWORD

    return create_user(
        actor=None,
        username="township_t2",
        role="township_office",
        password=PASSWORD,
        region_code=world.t2.code,
    )


def test_the_county_s_forces_are_shared_with_its_townships(forces, world, api_token, make_team, township_t2):
    """A township officer's 20 km search lists the county's team, a team of another township of the county and the
    city's own team, nearest first; not another county's. They may open but not change what is not their own."""
    depot, item, team, own, roster = forces
    t1_team = make_team("十里街道应急分队", 29.70, 116.0, region=world.t1.code)
    city_team = make_team("九江市危化救援支队", 29.72, 116.0, actor=world.users["city_office"])
    other = make_team("修水县救援队", 29.69, 116.0, actor=world.users["county_office_b"])
    token = api_token("township_t2")
    api = Client()
    near = api.get("/api/v1/rescue-teams?near=29.68,116.0&within_km=20", **token).json()
    names = [t["name"] for t in near["items"]]
    assert names == ["濂溪区危化救援队", "企业救援队", "十里街道应急分队", "九江市危化救援支队"]
    assert other.name not in names
    assert api.get(f"/api/v1/rescue-teams/{other.pk}", **token).status_code == 404
    # the county's depot and its stock, in the dispatch search
    depots = api.get("/api/v1/supply-depots?near=29.68,116.0&item=防化服", **token).json()
    assert [d["name"] for d in depots["items"]] == ["濂溪区物资库"]
    # seen, not theirs: the edit refused, nothing changed
    page = login(township_t2)
    assert page.get(f"/rescue/teams/{t1_team.pk}/").status_code == 200
    assert "编辑" not in page.get(f"/rescue/teams/{t1_team.pk}/").content.decode()
    assert page.get(f"/rescue/teams/{t1_team.pk}/edit/").status_code == 403
    assert page.post(f"/rescue/teams/{t1_team.pk}/edit/", {"name": "改"}).status_code == 403
    patched = api.patch(
        f"/api/v1/rescue-teams/{city_team.pk}", {"name": "改"}, content_type="application/json", **token
    )
    assert patched.status_code == 403
    assert RescueTeam.objects.get(pk=city_team.pk).name == "九江市危化救援支队"
    assert RescueTeam.objects.get(pk=t1_team.pk).name == "十里街道应急分队"
    # a roster only for their own units
    refused = api.post(
        "/api/v1/duty-rosters",
        {"team": team.pk, "day": "2026-01-06", "leader_name": "王", "person_name": "赵", "phone": "110"},
        content_type="application/json",
        **token,
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["team"]


def test_a_township_s_own_lists_leave_the_county_s_stock_out(forces, office, world, township_t2):
    """Stock to replenish is each area's own: the county's depot below its minimum is the county's to-do, not the
    township's, though the township sees the depot."""
    depot, item, team, own, roster = forces
    stock.update_item(office, item, {"minimum_quantity": "10"})
    county = login(office).get("/rescue/stock/flagged/").content.decode()
    township = login(township_t2).get("/rescue/stock/flagged/").content.decode()
    assert "防化服" in county
    assert "防化服" not in township
    assert login(township_t2).get(f"/rescue/depots/{depot.pk}/").status_code == 200


def test_restrict_in_scope_and_who_can_see_agree_on_shared_forces(forces, world, make_team, township_t2):
    """The one rule read three ways (a list, an object in memory, the users notified) for teams registered at each
    level: the city's, the county's, a township's, an enterprise's, another county's."""
    from anquan.accounts.models import User
    from anquan.core.scope import CHANGE, in_scope, restrict, who_can_see

    depot, item, team, own, roster = forces
    teams = [
        team,
        own,
        make_team("十里街道应急分队", 29.70, 116.0, region=world.t1.code),
        make_team("九江市危化救援支队", 29.72, 116.0, actor=world.users["city_office"]),
        make_team("修水县救援队", 29.69, 116.0, actor=world.users["county_office_b"]),
    ]
    users = list(User.objects.filter(is_active=True, region__isnull=False))
    disagreements = []
    for t in teams:
        viewers = set(who_can_see(t).values_list("pk", flat=True))
        changers = set(who_can_see(t, CHANGE).values_list("pk", flat=True))
        for user in users:
            sees = restrict(RescueTeam, user).filter(pk=t.pk).exists()
            changes = restrict(RescueTeam, user, CHANGE).filter(pk=t.pk).exists()
            if not sees == in_scope(t, user) == (user.pk in viewers):
                disagreements.append((t.name, user.username, "view"))
            if not changes == in_scope(t, user, CHANGE) == (user.pk in changers):
                disagreements.append((t.name, user.username, "change"))
    assert disagreements == []
    seen_by_t2 = set(restrict(RescueTeam, township_t2).values_list("name", flat=True))
    assert seen_by_t2 == {"濂溪区危化救援队", "企业救援队", "十里街道应急分队", "九江市危化救援支队"}
    assert not restrict(RescueTeam, township_t2, CHANGE).exists()


@pytest.mark.django_db(transaction=True)
def test_a_township_dispatches_from_the_county_s_forces_over_http(live_server, world, make_team, township_t2):
    """With a token over real HTTP: the township's 20 km search lists the county's team nearest first, a bad
    `near` is a 422 naming it, a change to the county's team is refused and changes nothing."""
    import json

    from ..browserless import call, token_for

    make_team("濂溪区危化救援队", 29.68, 116.01)
    city = make_team("九江市危化救援支队", 29.72, 116.0, actor=world.users["city_office"])
    make_team("修水县救援队", 29.69, 116.0, actor=world.users["county_office_b"])
    base, token = live_server.url, token_for(live_server.url, "township_t2")
    code, _, body = call(base, "GET", "/api/v1/rescue-teams?near=29.68,116.0&within_km=20", token=token)
    assert code == 200
    found = json.loads(body)["items"]
    assert [t["name"] for t in found] == ["濂溪区危化救援队", "九江市危化救援支队"]
    assert found[0]["distance_km"] < found[1]["distance_km"]
    code, _, body = call(base, "GET", "/api/v1/rescue-teams?near=91,116", token=token)
    assert code == 422 and [e["field"] for e in json.loads(body)["detail"]] == ["near"]
    code, _, _ = call(base, "PATCH", f"/api/v1/rescue-teams/{city.pk}", {"name": "改"}, token=token)
    assert code == 403
    assert RescueTeam.objects.get(pk=city.pk).name == "九江市危化救援支队"


def test_a_township_s_duty_to_do_counts_its_own_teams_not_the_county_s(forces, office, township_t2):
    """Teams with no roster today wait for their owner's area: the county's team is the county's to-do, not the
    township's that reads it (ADR 0057)."""
    from anquan.rescue import todo

    county = {i.kind: i.count for i in todo.items(office)}
    township = {i.kind: i.count for i in todo.items(township_t2)}
    assert county["rescue.roster_today"] == 2  # the county's team and the enterprise's, neither on duty today
    assert township["rescue.roster_today"] == 0
