"""Filing of emergency plans (MEM Order 2 of 2019 art. 26–28): submitted → filed with a record number; returned
with reasons → resubmitted → filed; silence past the 5 working days of the check counts as filed, by the sweep,
counted across the 2025 National Day holiday and its make-up working Sunday; wrong roles 403, out of scope 404."""

import datetime as dt

import pytest
from django.http import Http404

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry, Notification
from anquan.emergency import actions
from anquan.emergency.models import EmergencyPlan
from anquan.sweep.services import sweep
from tests.conftest import login

from .helpers import at, new_plan

pytestmark = pytest.mark.django_db
API = "/api/v1"
# Thursday before the 2025 National Day holiday (10-01 … 10-08); Sunday 09-28 is a make-up working day
SUBMITTED = dt.date(2025, 9, 25)


@pytest.fixture
def plan(world):
    manager = world.users["enterprise_manager"]
    return new_plan(manager, published_on=dt.date(2025, 9, 10), title="江西化工综合应急预案")


def test_submitted_then_filed_with_a_record_number(world, plan):
    manager, supervisor = world.users["enterprise_manager"], world.users["emergency_supervisor"]
    assert plan.filed_with.name == "应急管理局"  # the enterprise's supervising department by default
    plan = actions.transition(plan, "submit", actor=manager, now=at(SUBMITTED))
    assert (plan.status, plan.submitted_on, plan.filing_due) == ("submitted", SUBMITTED, dt.date(2025, 10, 9))
    assert Notification.objects.filter(user=supervisor, title__contains="请在2025-10-09前核对").exists()
    plan = actions.transition(
        plan, "file", actor=supervisor, record_number="濂应急备〔2025〕12号", now=at(SUBMITTED)
    )
    assert (plan.status, plan.record_number, plan.filed_by_lapse) == ("filed", "濂应急备〔2025〕12号", False)
    assert Notification.objects.filter(
        user=manager, title__contains="已备案，备案编号濂应急备〔2025〕12号"
    ).exists()
    assert [e.action for e in plan.events.all()] == ["submit", "file"]


def test_returned_with_reasons_resubmitted_then_filed(world, plan):
    manager, supervisor = world.users["enterprise_manager"], world.users["emergency_supervisor"]
    actions.transition(plan, "submit", actor=manager)
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(EmergencyPlan.objects.get(pk=plan.pk), "return", actor=supervisor)
    assert refused.value.errors[0].field == "reasons"
    plan = actions.transition(
        EmergencyPlan.objects.get(pk=plan.pk),
        "return",
        actor=supervisor,
        reasons="缺少风险评估结果和应急资源调查清单",
    )
    assert plan.status == "returned" and plan.return_reasons == "缺少风险评估结果和应急资源调查清单"
    note = Notification.objects.get(user=manager, title__contains="被退回")
    assert note.body == "缺少风险评估结果和应急资源调查清单"
    plan = actions.transition(plan, "resubmit", actor=manager)
    assert plan.status == "submitted" and plan.return_reasons == ""
    plan = actions.transition(plan, "file", actor=supervisor, record_number="B-2")
    assert plan.status == "filed"
    with pytest.raises(Conflict):  # filed twice: 409
        actions.transition(plan, "file", actor=supervisor, record_number="B-3")


def test_silence_past_five_working_days_counts_as_filed(world, plan):
    manager = world.users["enterprise_manager"]
    plan = actions.transition(plan, "submit", actor=manager, now=at(SUBMITTED))
    # 5 working days: 09-26, 09-28 (make-up Sunday), 09-29, 09-30, then the holiday, 10-09 — not 10-02
    assert plan.filing_due == dt.date(2025, 10, 9)
    assert actions.lapse_due(dt.date(2025, 10, 9)) == []  # the last day of the check: not yet
    assert sweep(at(dt.date(2025, 10, 9))).failed == []
    assert EmergencyPlan.objects.get(pk=plan.pk).status == "submitted"
    result = sweep(at(dt.date(2025, 10, 10), 2))
    assert result.failed == []
    plan = EmergencyPlan.objects.get(pk=plan.pk)
    assert (plan.status, plan.filed_by_lapse, plan.filed_on) == ("filed", True, dt.date(2025, 10, 9))
    event = plan.events.get(action="lapse")
    assert event.actor is None and "视为已备案" in event.comment
    entry = AuditEntry.objects.filter(object_id=str(plan.pk), action="transition").latest("id")
    assert entry.actor is None and "视为已备案" in entry.comment
    notice = Notification.objects.get(user=manager, title__contains="逾期未核对，依法视为已备案")
    assert "第二十八条" in notice.body
    assert actions.lapse_due(dt.date(2025, 10, 11)) == []  # once only
    page = login(manager).get(f"/emergency/plans/{plan.pk}/")
    assert "视为已备案" in page.content.decode()


def test_wrong_roles_refused_and_out_of_scope_404(world, plan):
    manager, supervisor = world.users["enterprise_manager"], world.users["emergency_supervisor"]
    with pytest.raises(NotPermitted):  # the department cannot submit the enterprise's plan
        actions.transition(plan, "submit", actor=supervisor)
    plan = actions.transition(plan, "submit", actor=manager)
    with pytest.raises(NotPermitted):  # the enterprise cannot file its own plan
        actions.transition(plan, "file", actor=manager, record_number="X")
    for outsider in ("housing_supervisor", "county_office_b"):
        with pytest.raises(Http404):
            actions.transition(plan, "file", actor=world.users[outsider], record_number="X")
        assert login(world.users[outsider]).get(f"/emergency/plans/{plan.pk}/").status_code == 404
    assert EmergencyPlan.objects.get(pk=plan.pk).status == "submitted"


def test_api_filing_with_tokens(world, api_token, plan):
    from django.test import Client

    client = Client()
    manager, supervisor = api_token("enterprise_manager"), api_token("emergency_supervisor")
    url = f"{API}/emergency-plans/{plan.pk}/transitions"
    assert [t["action"] for t in client.get(url, **manager).json()] == ["submit"]
    assert (
        client.post(url, {"action": "submit"}, content_type="application/json", **manager).status_code == 200
    )
    refused = client.post(
        url, {"action": "file", "record_number": "X"}, content_type="application/json", **manager
    )
    assert refused.status_code == 403
    outsider = client.post(
        url,
        {"action": "file", "record_number": "X"},
        content_type="application/json",
        **api_token("county_office_b"),
    )
    assert outsider.status_code == 404
    filed = client.post(
        url, {"action": "file", "record_number": "A-1"}, content_type="application/json", **supervisor
    )
    assert filed.status_code == 200 and filed.json()["status"] == "filed"
    assert filed.json()["filing_note"].endswith("备案编号A-1")


def test_api_plan_create_and_documents(world, api_token):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client()
    manager = api_token("enterprise_manager")
    created = client.post(
        f"{API}/emergency-plans",
        {"kind": "on_site", "title": "储罐区泄漏现场处置方案", "published_on": "2026-01-05"},
        content_type="application/json",
        **manager,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["enterprise"] == world.chem_t1.uscc
    bad = client.post(
        f"{API}/emergency-plans",
        {"kind": "x", "title": "", "published_on": "2026-01-05"},
        content_type="application/json",
        **manager,
    )
    assert bad.status_code == 422
    pdf = SimpleUploadedFile(
        "预案.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
    )
    up = client.post(f"{API}/emergency-plans/{body['id']}/files", {"file": pdf}, **manager)
    assert up.status_code == 201, up.content
    txt = SimpleUploadedFile("预案.txt", b"hello", "text/plain")
    assert (
        client.post(f"{API}/emergency-plans/{body['id']}/files", {"file": txt}, **manager).status_code == 422
    )
    detail = client.get(f"{API}/emergency-plans/{body['id']}", **manager).json()
    assert [d["name"] for d in detail["documents"]] == ["预案.pdf"]
    assert (
        client.get(f"{API}/emergency-plans/{body['id']}", **api_token("county_office_b")).status_code == 404
    )
