"""Scope: another county's person, certificate and training are 404 on pages and API and left out of lists; the
enterprise manager writes its own people (full ID number), offices read theirs masked."""

from __future__ import annotations

from django.test import Client

from anquan.personnel.choices import Post
from anquan.personnel.models import Person

from ..conftest import login
from .helpers import certificate, make_id, person, training


def _seed(world):
    mine = person(world.chem_t1, "本县人员", Post.SPECIAL_WORKER)
    cert = certificate(mine, "2025-01-01", "2031-01-01")
    training(mine, "2026-03-01", 12)
    other = person(world.chem_xiushui, "外县人员", Post.SPECIAL_WORKER)
    other_cert = certificate(other, "2025-01-01", "2031-01-01")
    other_training = training(other, "2026-03-01", 12)
    return mine, cert, other, other_cert, other_training


def test_another_countys_person_is_404_on_pages_and_api(world, api_token):
    mine, cert, other, other_cert, other_training = _seed(world)
    page = login(world.users["county_office"])
    assert page.get(f"/personnel/{mine.pk}/").status_code == 200
    assert page.get(f"/personnel/{other.pk}/").status_code == 404
    listing = page.get("/personnel/").content.decode()
    assert "本县人员" in listing and "外县人员" not in listing
    token = api_token("county_office")
    client = Client()
    assert client.get(f"/api/v1/personnel/{mine.pk}", **token).status_code == 200
    assert client.get(f"/api/v1/personnel/{other.pk}", **token).status_code == 404
    assert client.get(f"/api/v1/certificates/{other_cert.pk}", **token).status_code == 404
    ids = {p["id"] for p in client.get("/api/v1/personnel?limit=100", **token).json()["items"]}
    assert mine.pk in ids and other.pk not in ids
    trainings = {t["id"] for t in client.get("/api/v1/trainings?limit=100", **token).json()["items"]}
    assert other_training.pk not in trainings


def test_the_manager_writes_only_its_own_people_and_sees_the_full_id(world, api_token):
    mine, cert, other, *_ = _seed(world)
    token = api_token("enterprise_manager")
    client = Client()
    number = make_id()
    created = client.post(
        "/api/v1/personnel",
        {"name": "新工人", "id_number": number, "posts": ["special_worker"]},
        content_type="application/json",
        **token,
    )
    assert created.status_code == 201, created.content
    assert created.json()["id_number"] == number
    bad = client.post(
        "/api/v1/personnel",
        {"name": "错号", "id_number": number[:-1] + ("1" if number[-1] != "1" else "2"), "posts": ["other"]},
        content_type="application/json",
        **token,
    )
    assert bad.status_code == 422 and "校验位" in bad.json()["detail"][0]["message"]
    refused = client.patch(
        f"/api/v1/personnel/{other.pk}", {"name": "改名"}, content_type="application/json", **token
    )
    assert refused.status_code == 404 and Person.objects.get(pk=other.pk).name == "外县人员"
    office = Client().get(f"/api/v1/personnel/{created.json()['id']}", **api_token("county_office")).json()
    assert office["id_number"] == number[:4] + "*" * 10 + number[-4:]
    cert_resp = client.post(
        "/api/v1/certificates",
        {
            "person": created.json()["id"],
            "kind": "special_operation",
            "job_code": "1.2",
            "number": "API-0001",
            "issuing_authority": "九江市应急管理局",
            "issued_on": "2023-05-30",
            "expires_on": "2029-05-29",
        },
        content_type="application/json",
        **token,
    )
    assert cert_resp.status_code == 201, cert_resp.content
    assert cert_resp.json()["job_name"] == "低压电工作业"
    overdue = client.get("/api/v1/certificates?state=review_overdue", **token).json()["items"]
    assert [c["number"] for c in overdue] == ["API-0001"]


def test_coverage_of_a_region_out_of_scope_is_404(world, api_token):
    client = Client()
    token = api_token("county_office")
    assert client.get("/api/v1/stats/certificates?region=360424", **token).status_code == 404
    assert client.get("/api/v1/stats/certificates?region=360402", **token).status_code == 200
    assert login(world.users["county_office"]).get("/personnel/coverage/?region=360424").status_code == 404


def test_a_coverage_day_that_is_not_a_date_is_explained_not_refused(world):
    office = login(world.users["county_office"])
    for bad, why in (
        ("2026-13-40", "统计日期应为2026-01-31格式的日期"),
        ("1900-01-01", "统计日期超出可统计的范围"),
    ):
        page = office.get(f"/personnel/coverage/?on={bad}")
        assert page.status_code == 200
        assert why in page.content.decode()
