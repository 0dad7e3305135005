"""Monitoring points: registered with the thresholds of their kind (GB/T 50493-2019 5.5.2 as rule data), refused
with each field's Chinese message when the thresholds are out of order or the interval or device id is bad, changed
and retired with an audit entry, seen at once by ingestion's catalogue; the installation's required kinds generate
the missing points; scope (another county: 404) and roles (a grid worker configures nothing)."""

import pytest
from django.http import Http404

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.monitoring import catalogue, points
from anquan.monitoring.models import MonitoringPoint

from ..conftest import login

pytestmark = pytest.mark.django_db


def fields(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def test_a_combustible_gas_point_starts_with_25_and_50_percent_lel_and_the_enterprise_s_place(
    world, gas_point
):
    p = MonitoringPoint.objects.get(pk=gas_point.pk)
    assert (p.high, p.high_high, p.low, p.low_low, p.unit) == (25, 50, None, None, "%LEL")
    assert (p.region_code, p.supervising_department_id) == (
        world.chem_t1.region_code,
        world.chem_t1.supervising_department_id,
    )
    entry = AuditEntry.objects.get(model="monitoring.monitoringpoint", object_id=str(p.pk))
    assert (
        entry.action == "create"
        and entry.after["high_high"] == 50
        and entry.actor == world.users["enterprise_manager"]
    )


def test_oxygen_defaults_and_toxic_gas_from_its_oel(world):
    manager = world.users["enterprise_manager"]
    o2 = points.create(
        world.chem_t1, {"device_id": "O2-1", "name": "受限空间氧含量", "kind": "oxygen"}, actor=manager
    )
    assert (o2.low, o2.high, o2.unit) == (19.5, 23.5, "%VOL")
    with pytest.raises(ValidationFailed) as exc:
        points.create(
            world.chem_t1, {"device_id": "NH3-1", "name": "氨气探测", "kind": "toxic_gas"}, actor=manager
        )
    assert "职业接触限值" in fields(exc.value)["oel"]
    nh3 = points.create(
        world.chem_t1,
        {"device_id": "NH3-1", "name": "氨气探测", "kind": "toxic_gas", "oel": "20"},
        actor=manager,
    )
    assert (nh3.high, nh3.high_high, nh3.unit) == (20, 40, "ppm")  # 100 % and 200 % of the OEL
    temp = points.create(
        world.chem_t1, {"device_id": "TT-1", "name": "反应釜温度", "kind": "temperature"}, actor=manager
    )
    assert (temp.high, temp.high_high, temp.unit) == (
        None,
        None,
        "℃",
    )  # the process's own limits: none by default


@pytest.mark.parametrize(
    "given,field,words",
    [
        ({"low": "30", "high": "20"}, "high", "高报阈值应大于低报阈值"),
        ({"high": "50", "high_high": "40"}, "high_high", "高高报阈值应不小于高报阈值"),
        ({"low_low": "5", "low": "3"}, "low", "低报阈值应不小于低低报阈值"),
        ({"low": "10", "high": "10"}, "high", "应大于"),
        ({"high": "abc"}, "high", "应为数字"),
        ({"high": "nan"}, "high", "超出合理范围"),
        ({"expected_interval_s": "0"}, "expected_interval_s", "1到86400"),
        ({"expected_interval_s": "86401"}, "expected_interval_s", "1到86400"),
        ({"expected_interval_s": "2.5"}, "expected_interval_s", "整数"),
        ({"kind": "radiation"}, "kind", "监测类型应为"),
        ({"device_id": ""}, "device_id", "请填写设备编号"),
        ({"device_id": "x" * 65}, "device_id", "不能超过64"),
    ],
)
def test_bad_values_are_refused_field_by_field(world, given, field, words):
    raw = {"device_id": "PT-1", "name": "出口压力", "kind": "pressure", **given}
    with pytest.raises(ValidationFailed) as exc:
        points.create(world.chem_t1, raw, actor=world.users["county_office"])
    assert words in fields(exc.value)[field]
    assert not MonitoringPoint.objects.exists()


def test_the_edges_of_the_rules_are_accepted(world):
    p = points.create(
        world.chem_t1,
        {
            "device_id": "LT-1",
            "name": "储罐液位",
            "kind": "liquid_level",
            "low_low": "1",
            "low": "1",
            "high": "8.5",
            "high_high": "8.5",
            "expected_interval_s": "86400",
        },
        actor=world.users["county_office"],
    )
    assert (p.low_low, p.low, p.high, p.high_high, p.expected_interval_s) == (1, 1, 8.5, 8.5, 86400)


def test_the_device_id_is_unique_within_the_enterprise_only(world, gas_point):
    with pytest.raises(ValidationFailed) as exc:
        points.create(
            world.chem_t1,
            {"device_id": "GT-101", "name": "另一个", "kind": "flow"},
            actor=world.users["county_office"],
        )
    assert "GT-101" in fields(exc.value)["device_id"]
    other = points.create(
        world.chem_t2,
        {"device_id": "GT-101", "name": "另一家", "kind": "flow"},
        actor=world.users["county_office"],
    )
    assert other.enterprise == world.chem_t2


def test_a_change_is_audited_and_ingestion_sees_it_at_once(world, gas_point):
    assert catalogue.devices_of(world.chem_t1.pk)["GT-101"].high == 25
    points.update(
        gas_point, {"high": "20", "location": "1号罐区东侧"}, actor=world.users["enterprise_manager"]
    )
    assert catalogue.devices_of(world.chem_t1.pk)["GT-101"].high == 20
    entry = AuditEntry.objects.filter(model="monitoring.monitoringpoint", action="update").get()
    assert (
        entry.before["high"] == 25 and entry.after["high"] == 20 and entry.after["location"] == "1号罐区东侧"
    )
    with pytest.raises(ValidationFailed) as exc:  # checked with the thresholds it keeps
        points.update(gas_point, {"high_high": "15"}, actor=world.users["enterprise_manager"])
    assert "高高报阈值" in fields(exc.value)["high_high"]


def test_retiring_is_audited_once_and_the_catalogue_flags_it(world, gas_point):
    points.retire(gas_point, actor=world.users["enterprise_manager"])
    assert catalogue.devices_of(world.chem_t1.pk)["GT-101"].retired
    with pytest.raises(Conflict):
        points.retire(MonitoringPoint.objects.get(pk=gas_point.pk), actor=world.users["enterprise_manager"])
    with pytest.raises(Conflict):
        points.update(
            MonitoringPoint.objects.get(pk=gas_point.pk), {"high": "1"}, actor=world.users["county_office"]
        )
    assert AuditEntry.objects.filter(model="monitoring.monitoringpoint", comment="停用监测点").count() == 1


def test_scope_and_roles(world, gas_point):
    from anquan.core.scope import get_in_scope

    with pytest.raises(Http404):
        get_in_scope(
            points.visible(world.users["county_office_b"]), world.users["county_office_b"], pk=gas_point.pk
        )
    assert not points.visible(world.users["grid_worker"]).exists()
    with pytest.raises(NotPermitted):
        points.create(
            world.chem_t1, {"device_id": "X", "name": "x", "kind": "flow"}, actor=world.users["grid_worker"]
        )
    with pytest.raises(NotPermitted):
        points.create(
            world.chem_t1,
            {"device_id": "X", "name": "x", "kind": "flow"},
            actor=world.users["township_office"],
        )
    with pytest.raises(NotPermitted):  # a supervisor of another department
        points.update(gas_point, {"high": "20"}, actor=world.users["housing_supervisor"])


def test_the_pages_register_a_point_and_show_a_bad_threshold_beside_its_field(world):
    client = login(world.users["enterprise_manager"])
    assert client.get("/monitoring/points/new/").status_code == 200
    bad = {
        "device_id": "GT-9",
        "name": "探测器",
        "kind": "combustible_gas",
        "high": "60",
        "high_high": "50",
        "expected_interval_s": "10",
    }
    response = client.post("/monitoring/points/new/", bad)
    assert response.status_code == 422
    assert "高高报阈值应不小于高报阈值（60）" in response.content.decode()
    assert not MonitoringPoint.objects.exists()
    response = client.post("/monitoring/points/new/", {**bad, "high": "", "high_high": ""})
    assert response.status_code == 302
    point = MonitoringPoint.objects.get()
    assert (point.high, point.high_high) == (25, 50)
    page = client.get(response["Location"]).content.decode()
    assert "GT-9" in page and "高报 25" in page
    listing = client.get("/monitoring/points/").content.decode()
    assert "GT-9" in listing and 'data-testid="point-cards"' in listing
    edit = client.post(
        f"/monitoring/points/{point.pk}/edit/",
        {
            "device_id": "GT-9",
            "name": "探测器",
            "kind": "combustible_gas",
            "high": "20",
            "high_high": "40",
            "expected_interval_s": "5",
        },
    )
    assert edit.status_code == 302
    point.refresh_from_db()
    assert (point.high, point.expected_interval_s) == (20, 5)


def test_pages_answer_404_out_of_scope_and_to_a_grid_worker(world, gas_point):
    assert login(world.users["county_office_b"]).get(f"/monitoring/points/{gas_point.pk}/").status_code == 404
    grid = login(world.users["grid_worker"])
    assert grid.get("/monitoring/points/").status_code == 404
    assert grid.get("/monitoring/points/new/").status_code == 404
    assert grid.post(f"/monitoring/points/{gas_point.pk}/retire/").status_code == 404
    office = login(world.users["county_office"])
    assert office.get(f"/monitoring/points/{gas_point.pk}/").status_code == 200
    # a township office sees the point but may not change it
    township = login(world.users["township_office"])
    assert township.get(f"/monitoring/points/{gas_point.pk}/edit/").status_code == 404


def test_the_api_lists_creates_changes_and_retires(world, api_token, client):
    headers = api_token("enterprise_manager")
    body = {
        "device_id": "GT-7",
        "name": "装卸区可燃气体",
        "kind": "combustible_gas",
        "high": 30,
        "high_high": 20,
    }
    response = client.post("/api/v1/monitoring/points", body, content_type="application/json", **headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "high_high", "code": "order", "message": "高高报阈值应不小于高报阈值（30）"}
    ]
    response = client.post(
        "/api/v1/monitoring/points", {**body, "high_high": 60}, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["enterprise"], created["high"], created["high_high"], created["unit"]) == (
        world.chem_t1.uscc,
        30,
        60,
        "%LEL",
    )
    pid = created["id"]
    listed = client.get("/api/v1/monitoring/points", **headers).json()
    assert listed["count"] == 1 and listed["items"][0]["device_id"] == "GT-7"
    changed = client.patch(
        f"/api/v1/monitoring/points/{pid}", {"high": 25}, content_type="application/json", **headers
    )
    assert changed.status_code == 200 and changed.json()["high"] == 25
    bad = client.patch(
        f"/api/v1/monitoring/points/{pid}",
        {"expected_interval_s": 0},
        content_type="application/json",
        **headers,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "expected_interval_s"
    other = api_token("county_office_b")
    assert client.get(f"/api/v1/monitoring/points/{pid}", **other).status_code == 404
    assert client.post(f"/api/v1/monitoring/points/{pid}/retire", **other).status_code == 404
    grid = api_token("grid_worker")
    assert client.get(f"/api/v1/monitoring/points/{pid}", **grid).status_code == 404
    refused = client.post(
        "/api/v1/monitoring/points",
        {**body, "enterprise": world.chem_t1.uscc, "device_id": "Z"},
        content_type="application/json",
        **grid,
    )
    assert refused.status_code in (403, 422) and not MonitoringPoint.objects.filter(device_id="Z").exists()
    retired = client.post(f"/api/v1/monitoring/points/{pid}/retire", **headers)
    assert retired.status_code == 200 and retired.json()["retired_at"]
    assert client.post(f"/api/v1/monitoring/points/{pid}/retire", **headers).status_code == 409


def test_an_installation_generates_its_missing_required_points(world, installation):
    kinds = {s["kind"] for s in installation.required_sensors}
    assert kinds  # chlorine and ammonia: toxic gas among them
    manager = world.users["enterprise_manager"]
    points.create(
        world.chem_t1,
        {"device_id": "TT-9", "name": "储罐温度", "kind": "temperature", "installation": installation.pk},
        actor=manager,
    )
    client = login(manager)
    page = client.get(f"/risk/installations/{installation.pk}/").content.decode()
    assert "尚无监测点的必配监测项" in page and "按必配监测项生成监测点" in page
    response = client.post(f"/monitoring/installations/{installation.pk}/generate/")
    assert response.status_code == 302
    made = MonitoringPoint.objects.filter(installation=installation, device_id__startswith=points.PLACEHOLDER)
    assert {p.kind for p in made} == kinds - {"temperature"}
    assert (
        AuditEntry.objects.filter(
            model="monitoring.monitoringpoint", comment="按必配监测项生成监测点"
        ).count()
        == made.count()
    )
    page = client.get(f"/risk/installations/{installation.pk}/").content.decode()
    assert "尚无监测点的必配监测项" not in page
    client.post(f"/monitoring/installations/{installation.pk}/generate/")  # nothing is missing: nothing new
    assert MonitoringPoint.objects.filter(installation=installation).count() == len(kinds)


def test_the_enterprise_page_shows_its_monitoring_panel(world, gas_point):
    from anquan.monitoring import gateway_keys

    gateway_keys.issue(
        world.chem_t1, code="JX-GW-1", name="罐区网关", actor=world.users["enterprise_manager"]
    )
    page = login(world.users["county_office"]).get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    assert 'data-testid="enterprise-monitoring"' in page and "监测点 1" in page and "数据网关 1" in page


def test_the_api_kinds_and_states_are_those_of_the_models():
    from typing import get_args

    from anquan.monitoring.api_points import MonitoringKind, MonitoringState
    from anquan.monitoring.choices import PointKind, PointState

    assert list(get_args(MonitoringKind)) == PointKind.values
    assert list(get_args(MonitoringState)) == PointState.values
