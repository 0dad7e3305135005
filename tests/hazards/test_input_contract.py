"""One validation per field and a typed contract (issue #9 items 3 and 7): filter values the ledger cannot
mean are refused naming the parameter, action pages pass on only the fields an action takes, an
enterprise's hazard or accident is never moved to another region, and every schema name is unique."""

import datetime as dt
from collections import defaultdict

import pytest
from django.test import Client
from django.utils import timezone
from ninja import Schema

from anquan.accidents.models import Accident, AccidentEvent
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard, HazardEvent

from ..conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/hazards?status=bogus", "status"),
        ("/api/v1/hazards?status=open,closed", "status"),
        ("/api/v1/hazards?level=huge", "level"),
        ("/api/v1/hazards?source=rumour", "source"),
        ("/api/v1/hazards?ordering=colour", "ordering"),
        ("/api/v1/hazards?overdue=maybe", "overdue"),
        ("/api/v1/hazards?listed=2", "listed"),
        ("/api/v1/hazards?found_from=yesterday", "found_from"),
        ("/api/v1/hazards?found_to=1900-01-01", "found_to"),
        ("/api/v1/hazards/export?status=bogus", "status"),
        ("/api/v1/stats/hazards?level=huge", "level"),
        ("/api/v1/stats/hazards?group_by=colour", "group_by"),
        ("/api/v1/enterprises?status=bogus", "status"),
        ("/api/v1/enterprises?scale=giant", "scale"),
        ("/api/v1/enterprises?key_supervision=maybe", "key_supervision"),
        ("/api/v1/enterprises?risk_level=purple", "risk_level"),
        ("/api/v1/enterprises?ordering=colour", "ordering"),
        ("/api/v1/enterprises/export?standardization_grade=x", "standardization_grade"),
        ("/api/v1/accidents?grade=huge", "grade"),
        ("/api/v1/accidents?from=2026-02-30", "from"),
        ("/api/v1/stats/accidents?to=someday", "to"),
        ("/api/v1/stats/accidents?group_by=colour", "group_by"),
        ("/api/v1/bulletins?kind=daily", "kind"),
        ("/api/v1/bulletins?year=abc", "year"),
        ("/api/v1/industries?kind=x", "kind"),
    ],
)
def test_filter_values_that_mean_nothing_are_422_naming_the_parameter(world, api_token, path, field):
    response = Client().get(path, **api_token("county_office"))
    assert response.status_code == 422, response.content
    assert [d["field"] for d in response.json()["detail"]] == [field]
    assert all(d["message"] for d in response.json()["detail"])


def test_valid_filters_still_filter(world, api_token):
    reporting.report_hazard({"description": "x"}, actor=world.users["enterprise_manager"])
    token = api_token("county_office")
    for query, count in (
        ("status=open", 1),
        ("status=confirmed,closed", 1),
        ("status=closed", 0),
        ("overdue=false", 1),
        ("listed=true", 0),
        ("found_from=2020-01-01&ordering=-deadline", 1),
    ):
        body = Client().get(f"/api/v1/hazards?{query}", **token).json()
        assert body["count"] == count, query


def test_ledger_page_says_which_filter_is_wrong_and_lists_nothing(world):
    reporting.report_hazard({"description": "可见的隐患"}, actor=world.users["enterprise_manager"])
    client = login(world.users["county_office"])
    page = client.get("/hazards/?status=bogus")
    assert page.status_code == 200
    html = page.content.decode()
    assert "取值应为" in html and "可见的隐患" not in html
    assert "可见的隐患" in client.get("/hazards/?status=open").content.decode()
    export = client.get("/hazards/export.xlsx?overdue=maybe")
    assert export.status_code == 302
    listing = login(world.users["county_office"]).get("/enterprises/?key_supervision=maybe")
    assert listing.status_code == 200 and "应为 true 或 false" in listing.content.decode()


def test_hazard_action_page_ignores_injected_now_and_actor(world):
    inspector = world.users["county_office"]
    hazard = reporting.report_hazard(
        {"region": world.t1.code, "address": "菜市场", "description": "液化气瓶露天存放"},
        actor=world.users["grid_worker"],
    )
    assert hazard.status == "reported"
    response = login(inspector).post(
        f"/hazards/{hazard.pk}/act/",
        {"action": "accept", "now": "1999-01-01T00:00:00", "actor": "grid_worker", "comment": "属实"},
    )
    assert response.status_code == 302
    event = HazardEvent.objects.get(hazard=hazard, action="accept")
    assert event.actor == inspector and event.comment == "属实"
    assert abs(event.at - timezone.now()) < dt.timedelta(minutes=5)
    assert Hazard.objects.get(pk=hazard.pk).status == "confirmed"
    # a refused step with injected fields changes nothing either
    refused = login(world.users["county_office"]).post(
        f"/hazards/{hazard.pk}/act/",
        {"action": "assign", "now": "x", "actor": "x", "responsible_party": "甲", "deadline": "9999-12-31"},
    )
    assert refused.status_code == 422
    assert Hazard.objects.get(pk=hazard.pk).status == "confirmed"
    assert HazardEvent.objects.filter(hazard=hazard).count() == 2


def test_hazard_api_refuses_fields_the_action_does_not_take(world, api_token):
    hazard = reporting.report_hazard(
        {"region": world.t1.code, "address": "菜市场", "description": "液化气瓶露天存放"},
        actor=world.users["grid_worker"],
    )
    response = Client().post(
        f"/api/v1/hazards/{hazard.pk}/transitions",
        {"action": "accept", "until": "2027-01-01", "deadline_working_days": 3},
        content_type="application/json",
        **api_token("county_office"),
    )
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["detail"]} == {"until", "deadline_working_days"}
    assert Hazard.objects.get(pk=hazard.pk).status == "reported"


def test_accident_action_page_ignores_injected_now_and_actor(world):
    from anquan.accidents import actions

    office = world.users["county_office"]
    accident = actions.report_accident(
        {
            "occurred_at": timezone.localtime() - dt.timedelta(hours=3),
            "region": "360402",
            "address": "十里大道",
            "category": "WSA10023",
            "summary": "有限空间作业中毒",
            "deaths": 1,
        },
        actor=office,
    )
    client = login(office)
    response = client.post(
        f"/accidents/{accident.pk}/act/",
        {
            "action": "start_investigation",
            "team": "县政府调查组",
            "now": "1999-01-01",
            "actor": "grid_worker",
        },
    )
    assert response.status_code == 302
    event = AccidentEvent.objects.get(accident=accident, action="start_investigation")
    assert event.actor == office and abs(event.at - timezone.now()) < dt.timedelta(minutes=5)
    late = client.post(
        f"/accidents/{accident.pk}/act/",
        {"action": "late_report", "deaths": "2", "now": "2000-01-01T00:00", "actor": "x"},
    )
    assert late.status_code == 302
    accident.refresh_from_db()
    assert accident.deaths == 2 and accident.status == "investigating"
    event = AccidentEvent.objects.get(accident=accident, action="late_report")
    assert event.actor == office and abs(event.at - timezone.now()) < dt.timedelta(minutes=5)
    huge = client.post(
        f"/accidents/{accident.pk}/act/", {"action": "late_report", "deaths": "9223372036854775808"}
    )
    assert huge.status_code == 302
    assert Accident.objects.get(pk=accident.pk).deaths == 2


def test_an_enterprise_write_is_never_moved_to_another_region(world, api_token):
    token = api_token("enterprise_manager")
    elsewhere = world.chem_xiushui.region.code
    hazard = Client().post(
        "/api/v1/hazards",
        {"region": elsewhere, "address": "修水某地", "description": "液化气瓶露天存放"},
        content_type="application/json",
        **token,
    )
    assert hazard.status_code == 422 and [d["field"] for d in hazard.json()["detail"]] == ["region"]
    assert not Hazard.objects.exists()
    accident = Client().post(
        "/api/v1/accidents",
        {
            "occurred_at": (timezone.localtime() - dt.timedelta(hours=3)).isoformat(),
            "region": elsewhere,
            "address": "修水某地",
            "category": "WSA10023",
            "summary": "x",
        },
        content_type="application/json",
        **token,
    )
    assert accident.status_code == 422 and [d["field"] for d in accident.json()["detail"]] == ["region"]
    assert not Accident.objects.exists()
    # an office naming an enterprise and another county's region is refused the same way
    office = Client().post(
        "/api/v1/hazards",
        {
            "enterprise": world.chem_t1.uscc,
            "region": world.t2.code,
            "description": "x",
            "source": "inspection",
        },
        content_type="application/json",
        **api_token("county_office"),
    )
    assert office.status_code == 422 and [d["field"] for d in office.json()["detail"]] == ["region"]
    # its own region (or a region containing it, as the page's region picker sends) is accepted
    own = Client().post(
        "/api/v1/hazards",
        {"region": world.chem_t1.region.code, "description": "液化气瓶露天存放"},
        content_type="application/json",
        **token,
    )
    assert own.status_code == 201 and own.json()["region"] == world.chem_t1.region.code
    page = login(world.users["county_office"]).post(
        "/hazards/new/",
        {"enterprise": world.chem_t1.uscc, "region": "360402", "description": "x", "source": "inspection"},
    )
    assert page.status_code == 302


def test_every_schema_name_is_unique():
    import anquan.api  # noqa: F401  (every router and its schemas)

    by_name = defaultdict(set)
    stack = [Schema]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("anquan.") and "[" not in sub.__name__:
                by_name[sub.__name__].add(f"{sub.__module__}.{sub.__qualname__}")
    assert {name: where for name, where in by_name.items() if len(where) > 1} == {}


def test_accident_api_transition_fields_are_declared_per_action(world, api_token):
    from anquan.accidents import actions

    accident = actions.report_accident(
        {
            "occurred_at": timezone.localtime() - dt.timedelta(hours=3),
            "region": "360402",
            "address": "十里大道",
            "category": "WSA10023",
            "summary": "有限空间作业中毒",
        },
        actor=world.users["county_office"],
    )
    token = api_token("county_office")
    path = f"/api/v1/accidents/{accident.pk}/transitions"

    def move(body):
        return Client().post(path, body, content_type="application/json", **token)

    missing = move({"action": "report_up"})
    assert missing.status_code == 422 and [d["field"] for d in missing.json()["detail"]] == ["to_level"]
    extra = move({"action": "close", "team": "x", "days": 3})
    assert extra.status_code == 422 and {d["field"] for d in extra.json()["detail"]} == {"team", "days"}
    year_one = move({"action": "report_up", "to_level": "county", "reported_at": "0001-01-01T00:00:00"})
    assert year_one.status_code == 422 and [d["field"] for d in year_one.json()["detail"]] == ["reported_at"]
    assert not accident.reports.filter(reported_at__isnull=False).exists()
    not_yet = move({"action": "extend_investigation", "days": 10, "reason": "复杂"})
    assert not_yet.status_code == 409 and not_yet.json()["detail"][0]["code"] == "invalid_state"
    done = move({"action": "report_up", "to_level": "county"})
    assert done.status_code == 200 and done.json()["reports"][0]["reported_at"] is not None
