"""API contract for regions, tokens and the enterprise registry."""

import json

import pytest
from django.test import Client

from anquan.core.models import AuditEntry
from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_regions_lists_the_eleven_cities_of_jiangxi(world, api_token):
    response = Client().get("/api/v1/regions?parent=360000", **api_token("county_office"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 11
    cities = {item["code"]: item["name"] for item in body["items"]}
    assert cities["360400"] == "九江市"
    assert cities["361100"] == "上饶市"
    assert set(cities) == {f"36{n:02d}00" for n in range(1, 12)}


def test_jiujiang_has_thirteen_county_level_units(world, api_token):
    body = Client().get("/api/v1/regions?parent=360400", **api_token("city_office")).json()
    assert body["count"] == 13
    assert "共青城市" in {item["name"] for item in body["items"]}


def test_api_requires_authentication():
    response = Client().get("/api/v1/enterprises")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_token_with_wrong_password_is_refused(world):
    response = Client().post(
        "/api/v1/auth/token",
        {"username": "county_office", "password": "wrong"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["detail"] == "用户名或密码错误"


def test_search_by_pinyin_initials_and_by_credit_code(world, api_token):
    headers = api_token("county_office")
    found = Client().get("/api/v1/enterprises?q=jxhgcs", **headers).json()
    assert [item["name"] for item in found["items"]] == ["江西化工测试有限公司"]
    # initials match anywhere in the name: 九江精细化工 is "jjjxhg…", so "jxhg" finds both
    both = Client().get("/api/v1/enterprises?q=JXHG", **headers).json()
    assert {item["name"] for item in both["items"]} == {"江西化工测试有限公司", "九江精细化工有限公司"}
    by_code = Client().get(f"/api/v1/enterprises?q={world.chem_t2.uscc}", **headers).json()
    assert [item["name"] for item in by_code["items"]] == ["九江精细化工有限公司"]
    by_prefix = Client().get(f"/api/v1/enterprises?q={world.chem_t2.uscc[:12].lower()}", **headers).json()
    assert world.chem_t2.uscc in {item["uscc"] for item in by_prefix["items"]}


def _payload(**overrides):
    body = {
        "name": "九江新材料有限公司",
        "uscc": uscc.make("91", "360402", "12345678"),
        "region": "360402001",
        "industry": "hazardous_chemicals",
        "employee_count": 55,
        "scale": "below",
    }
    body.update(overrides)
    return body


def test_create_enterprise_with_natural_keys_derives_department(world, api_token):
    response = Client().post(
        "/api/v1/enterprises",
        json.dumps(_payload()),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["supervising_department"] == "应急管理局"
    assert body["region"] == "360402001"
    assert body["territorial_region"] == "360402001"
    assert AuditEntry.objects.filter(
        model="enterprises.enterprise", object_id=str(body["id"]), action="create"
    ).exists()


def test_wrong_check_character_is_a_field_error(world, api_token):
    good = uscc.make("91", "360402", "12345678")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = Client().post(
        "/api/v1/enterprises",
        json.dumps(_payload(uscc=wrong)),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail == [
        {
            "field": "uscc",
            "code": "invalid_uscc",
            "message": f"统一社会信用代码校验位错误：第18位应为“{good[17]}”",
        }
    ]
    assert not Enterprise.objects.filter(name="九江新材料有限公司").exists()


def test_duplicate_credit_code_is_rejected(world, api_token):
    response = Client().post(
        "/api/v1/enterprises",
        json.dumps(_payload(uscc=world.chem_t1.uscc)),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "duplicate"


def test_unknown_natural_keys_are_named(world, api_token):
    response = Client().post(
        "/api/v1/enterprises",
        json.dumps(_payload(region="369999", industry="rockets")),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert response.status_code == 422
    codes = {(d["field"], d["code"]) for d in response.json()["detail"]}
    assert codes == {("region", "unknown_region"), ("industry", "unknown_industry")}


def test_cannot_register_an_enterprise_outside_ones_area(world, api_token):
    response = Client().post(
        "/api/v1/enterprises",
        json.dumps(_payload(region="360424")),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "out_of_scope"


def test_retried_create_with_idempotency_key_creates_one(world, api_token):
    headers = api_token("county_office") | {"HTTP_IDEMPOTENCY_KEY": "phone-42"}
    first = Client().post(
        "/api/v1/enterprises", json.dumps(_payload()), content_type="application/json", **headers
    )
    second = Client().post(
        "/api/v1/enterprises", json.dumps(_payload()), content_type="application/json", **headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Enterprise.objects.filter(name="九江新材料有限公司").count() == 1


def test_patch_overrides_department_and_is_audited(world, api_token):
    headers = api_token("county_office")
    response = Client().patch(
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"supervising_department": "工信局", "employee_count": 77}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["supervising_department"] == "工信局"
    assert response.json()["department_overridden"] is True
    entry = AuditEntry.objects.filter(object_id=str(world.chem_t1.pk), action="update").latest("id")
    assert entry.before["employee_count"] == 0 and entry.after["employee_count"] == 77


def test_enterprise_manager_cannot_change_registry_fields(world, api_token):
    response = Client().patch(
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"name": "改名公司"}),
        content_type="application/json",
        **api_token("enterprise_manager"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["code"] == "not_permitted"
    world.chem_t1.refresh_from_db()
    assert world.chem_t1.name == "江西化工测试有限公司"


def test_login_locks_after_repeated_failures(world):
    client = Client()
    for _ in range(5):
        client.post(
            "/api/v1/auth/token",
            {"username": "inspector", "password": "nope"},
            content_type="application/json",
        )
    locked = client.post(
        "/api/v1/auth/token", {"username": "inspector", "password": PASSWORD}, content_type="application/json"
    )
    assert locked.status_code == 429
