"""Yearly plans: the capacity arithmetic, the proposed key enterprises, accept / override with a reason
(audited), approval by the unit's supervisor only, revision as a new version, coverage from inspected pairs,
the to-do of the approver."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from anquan.core.errors import ValidationFailed
from anquan.core.models import AuditEntry
from anquan.core.todo import items_for
from anquan.inspectionplans import coverage as plan_coverage
from anquan.inspectionplans.models import InspectionPlan, PlanEntry

from ..conftest import login

pytestmark = pytest.mark.django_db


def _post(client, path, body, headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


def _create(seeded, api_token, **extra):
    body = {"year": 2026, "inspectors": 6, "other_enforcement_days": 120, "non_enforcement_days": 300} | extra
    response = _post(Client(), "/api/v1/inspection-plans", body, api_token("inspector"))
    assert response.status_code == 201, response.content
    return response.json()


def test_capacity_is_the_reference_formula(seeded, api_token):
    """监督检查工作日 = 247 × 执法人数 − 其他执法工作日 − 非执法工作日: 6 × 247 − 120 − 300 = 1062."""
    plan = _create(seeded, api_token)
    assert (plan["working_days"], plan["total_days"], plan["supervision_days"]) == (247, 1482, 1062)
    assert plan["level"] == "county" and plan["department"] == "应急管理局" and plan["status"] == "draft"
    # the key enterprises of 应急管理局 in 濂溪区: chem_t1 (key band: 4 a year), chem_t2 (watch: 2)
    entries = {e["enterprise"]: e for e in plan["entries"]}
    assert {k: v["proposed_frequency"] for k, v in entries.items()} == {
        "江西化工测试有限公司": 4,
        "九江精细化工有限公司": 2,
    }
    # key days = (4 + 2) inspections × 2 person-days; general = 1062 − 12; random quota = 1050 ÷ 2
    assert (plan["key_days"], plan["general_days"], plan["random_quota"]) == (12, 1050, 525)


def test_inputs_that_exceed_the_working_days_are_refused(seeded, api_token):
    body = {"year": 2026, "inspectors": 1, "other_enforcement_days": 200, "non_enforcement_days": 100}
    response = _post(Client(), "/api/v1/inspection-plans", body, api_token("inspector"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "non_enforcement_days"
    assert not InspectionPlan.objects.exists()


def test_a_note_over_its_limit_is_refused_not_cut(seeded, api_token):
    from anquan.inspectionplans import services

    with pytest.raises(ValidationFailed) as refused:
        services.create_plan(
            {"year": 2026, "inspectors": 6, "note": "备" * 2001}, actor=seeded.users["inspector"]
        )
    assert [(e.field, e.message) for e in refused.value.errors] == [("note", "备注不能超过2000个字符")]
    assert not InspectionPlan.objects.exists()


def test_an_override_needs_a_reason_and_is_audited(seeded, api_token):
    plan = _create(seeded, api_token)
    entry = next(e for e in plan["entries"] if e["proposed_frequency"] == 4)
    headers = api_token("inspector")
    path = f"/api/v1/inspection-plans/{plan['id']}/entries/{entry['id']}"
    client = Client()
    refused = client.put(path, json.dumps({"frequency": 6}), content_type="application/json", **headers)
    assert refused.status_code == 422 and refused.json()["detail"][0]["field"] == "reason"
    assert PlanEntry.objects.get(pk=entry["id"]).decision == "pending"
    body = {"frequency": 6, "reason": "去年发生事故，增加检查"}
    done = client.put(path, json.dumps(body), content_type="application/json", **headers).json()
    row = next(e for e in done["entries"] if e["id"] == entry["id"])
    assert (row["frequency"], row["decision"], row["reason"]) == (6, "overridden", "去年发生事故，增加检查")
    assert AuditEntry.objects.filter(model="inspectionplans.planentry", object_id=str(entry["id"])).exists()


def test_only_the_units_supervisor_approves_and_not_the_submitter(seeded, api_token, world):
    plan = _create(seeded, api_token)
    client, path = Client(), f"/api/v1/inspection-plans/{plan['id']}/transitions"
    pending = _post(client, path, {"action": "submit"}, api_token("inspector"))
    assert pending.status_code == 409 and "未确认" in pending.json()["detail"][0]["message"]
    login(world.users["inspector"]).post(f"/plans/{plan['id']}/accept-all/")
    assert _post(client, path, {"action": "submit"}, api_token("inspector")).json()["status"] == "submitted"
    assert items_for(world.users["emergency_supervisor"])[0].label == "待审批的年度监督检查计划"
    assert _post(client, path, {"action": "approve"}, api_token("inspector")).status_code == 403
    assert _post(client, path, {"action": "approve"}, api_token("county_office")).status_code == 403
    assert _post(client, path, {"action": "approve"}, api_token("housing_supervisor")).status_code == 404
    returned = _post(client, path, {"action": "return"}, api_token("emergency_supervisor"))
    assert returned.status_code == 422 and returned.json()["detail"][0]["field"] == "reason"
    body = {"action": "return", "reason": "执法人数与编制不符"}
    assert _post(client, path, body, api_token("emergency_supervisor")).json()["status"] == "returned"
    assert _post(client, path, {"action": "submit"}, api_token("inspector")).json()["status"] == "submitted"
    approved = _post(
        client, path, {"action": "approve", "comment": "同意"}, api_token("emergency_supervisor")
    )
    assert approved.json()["status"] == "approved"
    assert [e["action"] for e in approved.json()["events"]] == [
        "create",
        "submit",
        "return",
        "submit",
        "approve",
    ]
    assert items_for(world.users["emergency_supervisor"]) == []


def test_an_approved_plan_changes_only_through_a_revision(seeded, api_token, world):
    plan = _create(seeded, api_token)
    PlanEntry.objects.filter(plan_id=plan["id"]).update(decision="accepted")
    client, path = Client(), f"/api/v1/inspection-plans/{plan['id']}/transitions"
    _post(client, path, {"action": "submit"}, api_token("inspector"))
    _post(client, path, {"action": "approve"}, api_token("emergency_supervisor"))
    entry = plan["entries"][0]["id"]
    edit = client.put(
        f"/api/v1/inspection-plans/{plan['id']}/entries/{entry}",
        json.dumps({"frequency": 1, "reason": "x"}),
        content_type="application/json",
        **api_token("inspector"),
    )
    assert edit.status_code == 409
    revision = _post(client, path, {"action": "revise"}, api_token("inspector")).json()
    assert (revision["version"], revision["previous_id"], revision["status"]) == (2, plan["id"], "draft")
    assert len(revision["entries"]) == len(plan["entries"])
    new_path = f"/api/v1/inspection-plans/{revision['id']}/transitions"
    _post(client, new_path, {"action": "submit"}, api_token("inspector"))
    _post(client, new_path, {"action": "approve"}, api_token("emergency_supervisor"))
    assert InspectionPlan.objects.get(pk=plan["id"]).status == "superseded"
    assert InspectionPlan.objects.get(pk=revision["id"]).status == "approved"


def test_coverage_counts_the_inspected_pairs(seeded, api_token):
    plan = InspectionPlan.objects.get(pk=_create(seeded, api_token)["id"])
    key = PlanEntry.objects.get(plan=plan, proposed_frequency=4)  # 十里街道
    watch = PlanEntry.objects.get(plan=plan, proposed_frequency=2)  # 五里街道
    pairs = [
        (key.enterprise_id, dt.date(2026, 2, 10)),
        (key.enterprise_id, dt.date(2026, 5, 3)),
        (key.enterprise_id, dt.date(2025, 12, 30)),  # another year: not counted
        (seeded.chem_xiushui.pk, dt.date(2026, 3, 1)),  # not a key enterprise
    ]
    data = plan_coverage.coverage(plan, pairs)
    march, june, december = data.months[2], data.months[5], data.months[11]
    # due by March: ceil(4×3/12) + ceil(2×3/12) = 1 + 1; by June 2 + 1; by December 4 + 2
    assert (march.due, march.done, june.due, june.done, december.due, december.done) == (2, 1, 3, 2, 6, 2)
    towns = {r.label: (r.enterprises, r.covered, r.due, r.done) for r in data.townships}
    assert towns == {"十里街道": (1, 1, 4, 2), "五里街道": (1, 0, 2, 0)}
    assert [e.enterprise_id for e in data.uncovered] == [watch.enterprise_id]
    assert (data.total.due, data.total.done, data.total.rate) == (6, 2, 33.3)


def test_plans_are_seen_through_the_units_region_and_department(seeded, api_token):
    plan = _create(seeded, api_token)
    client = Client()
    for persona, status in [
        ("county_office", 200),
        ("city_office", 200),
        ("emergency_supervisor", 200),
        ("county_office_b", 404),
        ("housing_supervisor", 404),
        ("enterprise_manager", 404),
    ]:
        got = client.get(f"/api/v1/inspection-plans/{plan['id']}", **api_token(persona))
        assert got.status_code == status, persona
        listed = client.get("/api/v1/inspection-plans", **api_token(persona)).json()
        assert (listed["count"] == 1) == (status == 200), persona
        page = login(seeded.users[persona]).get(f"/plans/{plan['id']}/coverage/")
        assert page.status_code == status, persona


def test_the_uncovered_key_enterprises_export(seeded, api_token):
    plan = _create(seeded, api_token)
    response = login(seeded.users["county_office"]).get(f"/plans/{plan['id']}/uncovered.xlsx")
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == [
        "江西化工测试有限公司",
        "九江精细化工有限公司",
    ]  # nobody inspected yet, highest score first
    assert "未覆盖重点企业名单" in sheet["A1"].value


def test_the_plans_coverage_counts_completed_inspections(seeded, api_token):
    """The inspected pairs come from the inspections app: a completed inspection of a key enterprise in the
    plan's year counts, by any unit; one still planned, cancelled or of another year does not."""
    from django.utils import timezone

    from anquan.inspections.models import Inspection
    from anquan.orgs.models import Department

    plan = InspectionPlan.objects.get(pk=_create(seeded, api_token)["id"])
    key = PlanEntry.objects.get(plan=plan, proposed_frequency=4)
    department = Department.objects.get(name="应急管理局")

    def inspection(status, planned, done=None):
        return Inspection.objects.create(
            enterprise_id=key.enterprise_id,
            department=department,
            region=key.enterprise.region,
            planned_on=planned,
            status=status,
            done_at=timezone.make_aware(dt.datetime.combine(done, dt.time(10))) if done else None,
        )

    inspection("done", dt.date(2026, 2, 9), dt.date(2026, 2, 10))
    inspection("done", dt.date(2025, 12, 30), dt.date(2025, 12, 30))  # last year's
    inspection("planned", dt.date(2026, 3, 1))
    inspection("cancelled", dt.date(2026, 4, 1))
    assert plan_coverage.inspected_pairs(plan) == [(key.enterprise_id, dt.date(2026, 2, 10))]
    response = Client().get(f"/api/v1/inspection-plans/{plan.pk}/coverage", **api_token("county_office"))
    assert response.status_code == 200, response.content
    assert response.json()["total"]["done"] == 1
