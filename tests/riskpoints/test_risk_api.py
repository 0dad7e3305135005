"""/api/v1/risk-points and /api/v1/major-hazard-installations: 201 / 422 (Chinese field errors) /
403 (role) / 404 (out of scope), lists {"items","count"} with filters and limit/offset."""

import pytest
from django.test import Client

from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints.models import RiskPoint

from .helpers import REFERENCE_INSTALLATION, new_point

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def as_(api_token):
    def client(persona):
        headers = api_token(persona)

        class Caller:
            def get(self, path, **params):
                return Client().get(f"{API}{path}", params, **headers)

            def post(self, path, body, **extra):
                return Client().post(
                    f"{API}{path}", body, content_type="application/json", **headers, **extra
                )

        return Caller()

    return client


def test_create_point_and_assess(world, as_):
    manager = as_("enterprise_manager")
    response = manager.post(
        "/risk-points",
        {
            "name": "液氯储罐区",
            "kind": "installation",
            "factor_kinds": ["object"],
            "accident_categories": ["wsa10009", "WSA10013"],
            "responsible_person": "张三",
        },
    )
    assert response.status_code == 201, response.content
    point = response.json()
    assert point["enterprise"] == world.chem_t1.uscc and point["level"] is None
    assert sorted(point["accident_categories"]) == ["WSA10009", "WSA10013"]

    response = manager.post(
        f"/risk-points/{point['id']}/assessments",
        {"method": "LEC", "l": 3, "e": 6, "c": 15, "next_due": "2031-06-30"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["score"], body["level"], body["band_table"]["code"]) == (
        270,
        "orange",
        "lec-four-colour-common",
    )
    assert body["next_due"] == "2031-06-30" and body["residual"] is False
    response = as_("inspector").post(
        f"/risk-points/{point['id']}/assessments", {"method": "LS", "l": 1, "s": 3, "residual": True}
    )
    assert response.status_code == 201, response.content

    county = as_("county_office")
    detail = county.get(f"/risk-points/{point['id']}").json()
    assert detail["level"] == "blue" and detail["measures"] == []
    assert detail["enterprise_risk_level"] == "blue"
    history = county.get(f"/risk-points/{point['id']}/assessments").json()
    assert history["count"] == 2 and [a["level"] for a in history["items"]] == ["blue", "orange"]
    assert county.get("/risk-points", level="blue").json()["count"] == 1
    assert county.get("/risk-points", level="red").json()["count"] == 0
    assert county.get("/risk-points", enterprise=world.chem_t1.uscc).json()["count"] == 1
    assert county.get("/risk-points", region=world.t2.code).json()["count"] == 0
    assert county.get("/risk-points", level="purple").status_code == 422


def test_idempotent_create(world, as_):
    body = {"enterprise": world.chem_t1.uscc, "name": "动火作业", "kind": "activity", "idempotency_key": "k1"}
    first = as_("county_office").post("/risk-points", body)
    second = as_("county_office").post("/risk-points", body)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and RiskPoint.objects.count() == 1


def test_validation_errors_are_chinese(world, as_):
    county = as_("county_office")
    response = county.post("/risk-points", {"name": "", "kind": "room", "accident_categories": ["01"]})
    assert response.status_code == 422
    detail = {d["field"]: d["message"] for d in response.json()["detail"]}
    assert set(detail) == {"enterprise", "name", "kind", "accident_categories"}
    assert "请填写" in detail["name"]
    response = county.post(
        "/risk-points", {"enterprise": world.chem_xiushui.uscc, "name": "x", "kind": "place"}
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "enterprise"
    point = new_point(world)
    response = county.post(f"/risk-points/{point.pk}/assessments", {"method": "LEC", "l": 4, "e": 6})
    assert response.status_code == 422
    assert {d["field"] for d in response.json()["detail"]} == {"l", "c"}
    messages = {d["field"]: d["message"] for d in response.json()["detail"]}
    assert "不在取值表中" in messages["l"] and "请填写" in messages["c"]
    assert point.assessments.count() == 0


def test_out_of_scope_is_404_and_wrong_role_403(world, as_):
    point = new_point(world)
    other = as_("county_office_b")
    assert other.get(f"/risk-points/{point.pk}").status_code == 404
    assert other.get(f"/risk-points/{point.pk}/assessments").status_code == 404
    assert (
        other.post(f"/risk-points/{point.pk}/assessments", {"method": "LS", "l": 1, "s": 1}).status_code
        == 404
    )
    assert other.get("/risk-points").json() == {"items": [], "count": 0, "count_exact": True, "next": None}
    assert as_("housing_supervisor").get(f"/risk-points/{point.pk}").status_code == 404
    grid = as_("grid_worker")
    assert grid.get(f"/risk-points/{point.pk}").status_code == 200
    response = grid.post(f"/risk-points/{point.pk}/assessments", {"method": "LS", "l": 1, "s": 1})
    assert response.status_code == 403 and point.assessments.count() == 0


def test_installations(world, as_):
    county = as_("county_office")
    response = county.post(
        "/major-hazard-installations", {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["s"], body["is_major"], body["r"], body["grade"]) == (1.2, True, 5.4, 4)
    assert [line["substance"] for line in body["computation"]["lines"]] == ["氯", "氨"]
    assert body["accountable_persons"]["technical"] == {"name": "赵六", "phone": "13800000002"}
    # chlorine and ammonia in storage: the monitoring module reads these kinds
    assert [s["kind"] for s in body["required_sensors"]] == [
        "temperature",
        "pressure",
        "liquid_level",
        "toxic_gas",
    ]
    pk = body["id"]
    assert as_("enterprise_manager").get(f"/major-hazard-installations/{pk}").json()["grade"] == 4
    assert county.get("/major-hazard-installations", grade=4).json()["count"] == 1
    assert county.get("/major-hazard-installations", grade=1).json()["count"] == 0
    assert as_("county_office_b").get(f"/major-hazard-installations/{pk}").status_code == 404
    assert as_("county_office_b").get("/major-hazard-installations").json()["count"] == 0

    response = county.post(
        "/major-hazard-installations",
        {
            "enterprise": world.chem_t1.uscc,
            "name": "罐区",
            "unit_type": "storage",
            "substances": [{"name": "氯"}, {"name": "未知物质", "quantity_t": 1}],
        },
    )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["detail"]}
    assert "substances.0.quantity_t" in fields and "substances.1.category" in fields
    assert MajorHazardInstallation.objects.count() == 1


def test_lists_do_not_query_per_row(world, as_, django_assert_max_num_queries):
    from anquan.majorhazards import services as installations

    for n in range(5):
        new_point(world, name=f"风险点{n}")
        installations.create_installation(
            {**REFERENCE_INSTALLATION, "name": f"单元{n}"}, actor=world.users["enterprise_manager"]
        )
    county = as_("county_office")
    with django_assert_max_num_queries(8):
        assert county.get("/risk-points").json()["count"] == 5
    with django_assert_max_num_queries(8):
        assert county.get("/major-hazard-installations").json()["count"] == 5
