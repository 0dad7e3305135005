"""The hazard API: create (idempotent), transitions with structured errors, events, attachments, race safety."""

import json
import threading

import pytest
from django.db import connection
from django.test import Client

from anquan.hazards import actions
from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from .conftest import NOW, PNG, evidence, inspected


def post(headers, path, body):
    return Client().post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_create_read_and_walk_through_the_api(world, api_token):
    inspector, manager = api_token("inspector"), api_token("enterprise_manager")
    created = post(
        inspector,
        "/api/v1/hazards",
        {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "动火作业未办理作业票"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "confirmed" and body["actions"] == ["assign"]  # inspectors do not cancel
    hid = body["id"]
    assigned = post(
        inspector,
        f"/api/v1/hazards/{hid}/transitions",
        {"action": "assign", "responsible_party": "车间主任", "deadline_working_days": 5},
    )
    assert assigned.status_code == 200 and assigned.json()["status"] == "rectifying"

    upload = Client().post(
        f"/api/v1/hazards/{hid}/attachments",
        {"file": _file("整改后.png", PNG), "stage": "evidence"},
        **manager,
    )
    assert upload.status_code == 201, upload.content
    submitted = post(
        manager,
        f"/api/v1/hazards/{hid}/transitions",
        {"action": "submit", "evidence": "已补办作业票并培训", "attachments": [upload.json()["id"]]},
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    wrong_role = post(manager, f"/api/v1/hazards/{hid}/transitions", {"action": "accept_rectification"})
    assert wrong_role.status_code == 403
    assert wrong_role.json()["detail"][0]["code"] == "not_permitted"
    wrong_state = post(manager, f"/api/v1/hazards/{hid}/transitions", {"action": "submit", "evidence": "x"})
    assert wrong_state.status_code == 409
    assert wrong_state.json()["detail"][0]["code"] == "invalid_state"
    unknown = post(inspector, f"/api/v1/hazards/{hid}/transitions", {"action": "teleport"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "action"

    closed = post(
        api_token("emergency_supervisor"),
        f"/api/v1/hazards/{hid}/transitions",
        {"action": "accept_rectification"},
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    events = Client().get(f"/api/v1/hazards/{hid}/events", **inspector).json()
    assert [e["action"] for e in events["items"]] == ["report", "assign", "submit", "accept_rectification"]
    assert events["items"][2]["attachments"] == [upload.json()["id"]]


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_bad_uploads_are_refused_clearly(world, api_token):
    hazard = reporting.report_hazard({"description": "x"}, actor=world.users["enterprise_manager"], now=NOW)
    headers = api_token("enterprise_manager")
    disguised = Client().post(
        f"/api/v1/hazards/{hazard.pk}/attachments", {"file": _file("photo.jpg", b"MZ\x90\x00evil")}, **headers
    )
    assert disguised.status_code == 422 and disguised.json()["detail"][0]["code"] == "bad_type"
    script = Client().post(
        f"/api/v1/hazards/{hazard.pk}/attachments", {"file": _file("a.sh", b"#!/bin/sh")}, **headers
    )
    assert script.status_code == 422
    assert not hazard.attachments.exists()


@pytest.mark.django_db
def test_the_answer_to_a_create_is_what_reading_the_hazard_answers(world, api_token):
    """The create answers from the hazard it just wrote (no second read): for an enterprise's hazard, a
    grid worker's report of a place with coordinates, and a major hazard citing a judgement item, every
    field a client reads is the same as a GET of it answers."""
    from anquan.enterprises.models import Enterprise

    from .conftest import chemical_item

    inspector, grid, county = api_token("inspector"), api_token("grid_worker"), api_token("county_office")
    bodies = [
        (
            inspector,
            {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "消防通道堵塞"},
        ),
        (
            grid,
            {
                "region": world.t1.code,
                "address": "滨江路12号门前",
                "industry": "construction",
                "description": "沿街脚手架未设防护网",
                "latitude": 29.6812345,
                "longitude": 115.9923456,
                "found_by_name": "网格员甲",
            },
        ),
        (
            county,
            {
                "enterprise": world.chem_t2.uscc,
                "source": "inspection",
                "description": "储罐区可燃气体报警器失效",
                "judgement_item": chemical_item(1).pk,
            },
        ),
    ]
    for headers, body in bodies:
        created = post(headers, "/api/v1/hazards", body)
        assert created.status_code == 201, created.content
        read = Client().get(f"/api/v1/hazards/{created.json()['id']}", **headers)
        assert read.status_code == 200
        assert created.json() == read.json()
    major = read.json()
    assert major["level"] == "major" and major["judgement_citation"]
    # the major hazard raised its enterprise's stored risk level; the general one left chem_t1's as it was
    assert Enterprise.objects.get(pk=world.chem_t2.pk).risk_level == "orange"
    assert Enterprise.objects.get(pk=world.chem_t1.pk).risk_level == ""


@pytest.mark.django_db
def test_create_is_idempotent_and_validated(world, api_token):
    headers = api_token("grid_worker") | {"HTTP_IDEMPOTENCY_KEY": "gw-2026-11-23-001"}
    body = {"region": world.t1.code, "address": "菜市场", "description": "液化气瓶露天存放"}
    first, second = post(headers, "/api/v1/hazards", body), post(headers, "/api/v1/hazards", body)
    assert first.status_code == second.status_code == 201 and first.json()["id"] == second.json()["id"]
    assert Hazard.objects.count() == 1
    bad = post(api_token("grid_worker"), "/api/v1/hazards", {"region": "360424", "description": ""})
    assert bad.status_code == 422
    assert {d["field"] for d in bad.json()["detail"]} >= {"region", "description", "address"}


@pytest.mark.django_db
def test_hazards_of_other_areas_answer_404(world, api_token):
    hazard = reporting.report_hazard({"description": "x"}, actor=world.users["enterprise_manager"], now=NOW)
    for persona in ("county_office_b", "housing_supervisor"):
        assert Client().get(f"/api/v1/hazards/{hazard.pk}", **api_token(persona)).status_code == 404
        moved = post(
            api_token(persona),
            f"/api/v1/hazards/{hazard.pk}/transitions",
            {"action": "cancel", "reason": "x"},
        )
        assert moved.status_code == 404
    listed = Client().get("/api/v1/hazards", **api_token("county_office_b")).json()
    assert listed["count"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_accepting_at_once_one_wins_the_other_gets_409(world, api_token):
    from anquan.accounts.services import create_user

    from ..conftest import PASSWORD

    create_user(
        actor=None,
        username="second_reviewer",
        role="department_supervisor",
        password=PASSWORD,
        region_code="360402",
        department_name="应急管理局",
    )
    manager = world.users["enterprise_manager"]
    hazard = inspected(world, deadline="2026-12-31")
    actions.transition(
        hazard, "submit", actor=manager, now=NOW, evidence="ok", attachments=evidence(hazard, manager)
    )
    tokens = [api_token("emergency_supervisor"), api_token("second_reviewer")]
    barrier = threading.Barrier(2)
    codes = []

    def review(headers):
        barrier.wait()
        try:
            codes.append(
                post(
                    headers, f"/api/v1/hazards/{hazard.pk}/transitions", {"action": "accept_rectification"}
                ).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 409]
    hazard.refresh_from_db()
    assert hazard.status == "closed"
    assert hazard.events.filter(action="accept_rectification").count() == 1


@pytest.mark.django_db
def test_a_pending_extension_request_shows_the_decisions_and_refuses_a_second_request(world, api_token):
    """Through the API a second request no longer overwrites the pending one: 409 `extension_pending`; the
    `actions` field offers each side only what its preconditions allow."""
    hazard = inspected(world, deadline="2026-12-31")
    manager, supervisor = api_token("enterprise_manager"), api_token("emergency_supervisor")
    url = f"/api/v1/hazards/{hazard.pk}"
    assert "request_extension" in Client().get(url, **manager).json()["actions"]
    body = {"action": "request_extension", "until": "2027-01-15", "reason": "检测机构排期"}
    assert post(manager, f"{url}/transitions", body).status_code == 200
    again = post(manager, f"{url}/transitions", body | {"until": "2027-03-01", "reason": "改一下"})
    assert again.status_code == 409 and again.json()["detail"][0]["code"] == "extension_pending"
    assert Client().get(url, **manager).json()["extension_requested_until"] == "2027-01-15"
    assert "request_extension" not in Client().get(url, **manager).json()["actions"]
    assert {"grant_extension", "deny_extension"} <= set(Client().get(url, **supervisor).json()["actions"])
    assert (
        post(supervisor, f"{url}/transitions", {"action": "grant_extension"}).json()["deadline"]
        == "2027-01-15"
    )
    after = Client().get(url, **supervisor).json()["actions"]
    assert "grant_extension" not in after and "deny_extension" not in after
    assert hazard.events.filter(action="request_extension").count() == 1
