"""Monitoring points over real HTTP with a user's bearer token (as a plant's integration script meets them): register
a point, read it back, a refused threshold answered 422 with the field and a Chinese message, a change, the
retirement, another county's office 404 and a grid worker refused."""

import pytest

from tests.live.conftest import Api, issue_token

pytestmark = pytest.mark.django_db(transaction=True)

POINTS = "/api/v1/monitoring/points"


def test_a_point_over_http_with_a_token(live, world):
    from anquan.monitoring.models import MonitoringPoint

    manager = Api(live, issue_token(live, "enterprise_manager"))
    bad = manager.post(
        POINTS, {"device_id": "O2-77", "name": "受限空间氧含量", "kind": "oxygen", "low": 23.5, "high": 19.5}
    )
    assert bad.status == 422 and bad.is_json, bad.excerpt()
    assert bad.json()["detail"] == [
        {"field": "high", "code": "order", "message": "高报阈值应大于低报阈值（23.5）"}
    ]
    bad = manager.post(
        POINTS, {"device_id": "O2-77", "name": "x", "kind": "oxygen", "expected_interval_s": 0}
    )
    assert bad.status == 422 and bad.json()["detail"][0]["field"] == "expected_interval_s"
    made = manager.post(POINTS, {"device_id": "O2-77", "name": "受限空间氧含量", "kind": "oxygen"})
    assert made.status == 201, made.excerpt()
    point = made.json()
    assert (point["low"], point["high"], point["unit"], point["state_label"]) == (19.5, 23.5, "%VOL", "正常")
    again = manager.post(POINTS, {"device_id": "O2-77", "name": "重复", "kind": "oxygen"})
    assert again.status == 422 and "O2-77" in again.json()["detail"][0]["message"]
    url = f"{POINTS}/{point['id']}"
    assert manager.get(url).json()["device_id"] == "O2-77"
    changed = manager.patch(url, {"high": 23.0, "location": "2号反应釜人孔"})
    assert changed.status == 200 and changed.json()["high"] == 23.0
    other = Api(live, issue_token(live, "county_office_b"))
    assert other.get(url).status == 404
    assert other.patch(url, {"high": 1}).status == 404
    grid = Api(live, issue_token(live, "grid_worker"))
    assert grid.get(url).status == 404
    assert (
        grid.post(
            POINTS, {"enterprise": world.chem_t1.uscc, "device_id": "G1", "name": "x", "kind": "flow"}
        ).status
        == 403
    )
    office = Api(live, issue_token(live, "county_office"))
    listed = office.get(POINTS, enterprise=world.chem_t1.uscc)
    assert listed.status == 200 and [p["device_id"] for p in listed.json()["items"]] == ["O2-77"]
    retired = office.post(f"{url}/retire")
    assert retired.status == 200 and retired.json()["retired_at"]
    assert office.post(f"{url}/retire").status == 409
    assert office.get(POINTS).json()["count"] == 0  # in service only, by default
    assert MonitoringPoint.objects.get().retired_at is not None
