"""A plan walked over live HTTP with bearer tokens, as a client program does: the inspector drafts it, accepts
the proposals on one entry and overrides another with a reason, submits; the supervisor approves; the
targeting list answers the same county with breakdowns."""

from __future__ import annotations

import json

import pytest

from ..browserless import call, token_for
from .conftest import seed

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_plan_over_live_http_with_bearer_tokens(live_server, world):
    seed(world)
    base = live_server.url
    inspector, supervisor = token_for(base, "inspector"), token_for(base, "emergency_supervisor")
    status, _, body = call(base, "GET", "/api/v1/enforcement-targets?region=360402&limit=5", token=inspector)
    targets = json.loads(body)
    assert status == 200 and targets["items"][0]["explanation"].startswith("重大风险 + 2 项超期重大隐患")
    status, _, body = call(
        base,
        "POST",
        "/api/v1/inspection-plans",
        {"year": 2026, "inspectors": 6, "other_enforcement_days": 120, "non_enforcement_days": 300},
        token=inspector,
    )
    plan = json.loads(body)
    assert status == 201 and plan["supervision_days"] == 1062
    first, second = plan["entries"]
    path = f"/api/v1/inspection-plans/{plan['id']}"
    assert call(base, "PUT", f"{path}/entries/{first['id']}", {}, token=inspector)[0] == 200
    override = {"frequency": 3, "reason": "已完成整改复查，减少一次"}
    status, _, body = call(base, "PUT", f"{path}/entries/{second['id']}", override, token=inspector)
    assert status == 200
    assert call(base, "POST", f"{path}/transitions", {"action": "approve"}, token=inspector)[0] == 409
    status, _, body = call(base, "POST", f"{path}/transitions", {"action": "submit"}, token=inspector)
    assert status == 200 and json.loads(body)["status"] == "submitted"
    assert call(base, "POST", f"{path}/transitions", {"action": "approve"}, token=inspector)[0] == 403
    status, _, body = call(base, "POST", f"{path}/transitions", {"action": "approve"}, token=supervisor)
    approved = json.loads(body)
    assert status == 200 and approved["status"] == "approved" and approved["actions"] == ["revise"]
    status, _, body = call(base, "GET", f"{path}/coverage", token=supervisor)
    coverage = json.loads(body)
    assert status == 200 and coverage["total"]["due"] == first["frequency"] + 3
    assert len(coverage["uncovered"]) == 2  # no inspection recorded yet
    assert call(base, "GET", path, token=token_for(base, "county_office_b"))[0] == 404
