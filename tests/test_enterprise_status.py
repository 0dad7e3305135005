"""An enterprise's operating status changes only through named transitions (停产, 复产, 关闭, 恢复经营) taken by
its supervisors, each with a reason, a history row on its page and an audit entry; the form and PATCH no
longer change it as a field."""

import json

import pytest
from django.test import Client

from anquan.core.models import AuditEntry
from anquan.enterprises.models import Enterprise, EnterpriseEvent

from .conftest import login

pytestmark = pytest.mark.django_db


def move(headers, enterprise, body):
    return Client().post(
        f"/api/v1/enterprises/{enterprise.pk}/transitions",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_suspend_and_resume_through_the_api_with_history_and_audit(world, api_token):
    office = api_token("county_office")
    shown = Client().get(f"/api/v1/enterprises/{world.chem_t1.pk}", **office).json()
    assert (shown["status"], shown["actions"]) == ("operating", ["suspend", "close"])
    suspended = move(office, world.chem_t1, {"action": "suspend", "reason": "动火作业事故后责令停产整顿"})
    assert suspended.status_code == 200, suspended.content
    assert (suspended.json()["status"], suspended.json()["actions"]) == ("suspended", ["resume", "close"])
    entry = AuditEntry.objects.filter(model="enterprises.enterprise", object_id=str(world.chem_t1.pk)).latest(
        "id"
    )
    assert (entry.action, entry.before["status"], entry.after["status"]) == (
        "transition",
        "operating",
        "suspended",
    )
    assert "停产" in entry.comment
    resumed = move(office, world.chem_t1, {"action": "resume", "reason": "整改验收合格"})
    assert resumed.json()["status"] == "operating"
    events = Client().get(f"/api/v1/enterprises/{world.chem_t1.pk}/events", **office).json()
    assert [(e["action"], e["from_status"], e["to_status"], e["comment"]) for e in events["items"]] == [
        ("suspend", "operating", "suspended", "动火作业事故后责令停产整顿"),
        ("resume", "suspended", "operating", "整改验收合格"),
    ]
    assert events["items"][0]["actor"] == "county_office"


def test_refusals_wrong_state_role_scope_and_missing_reason_change_nothing(world, api_token):
    refused = move(api_token("county_office"), world.chem_t1, {"action": "resume", "reason": "x"})
    assert refused.status_code == 409 and refused.json()["detail"][0]["code"] == "invalid_state"
    assert refused.json()["detail"][0]["message"] == "当前状态（在营）不能执行“复产”"
    manager = move(
        api_token("enterprise_manager"), world.chem_t1, {"action": "suspend", "reason": "自行停产"}
    )
    assert manager.status_code == 403
    assert manager.json()["detail"][0]["message"] == "只有安委办和行业监管部门可以变更企业经营状态"
    other_county = move(api_token("county_office_b"), world.chem_t1, {"action": "close", "reason": "x"})
    assert other_county.status_code == 404
    no_reason = move(api_token("emergency_supervisor"), world.chem_t1, {"action": "close"})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["field"] == "reason"
    unknown = move(api_token("county_office"), world.chem_t1, {"action": "demolish", "reason": "x"})
    assert unknown.status_code == 422
    world.chem_t1.refresh_from_db()
    assert world.chem_t1.status == "operating" and not EnterpriseEvent.objects.exists()


def test_patch_and_the_form_no_longer_change_the_status(world, api_token):
    patched = Client().patch(
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"status": "closed", "employee_count": 5}),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert patched.status_code == 422
    assert patched.json()["detail"] == [
        {
            "field": "status",
            "code": "use_transition",
            "message": "经营状态不能直接修改，请使用停产、复产、关闭、恢复经营操作",
        }
    ]
    same = Client().patch(  # the status it already has is no change
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"status": "operating", "employee_count": 5}),
        content_type="application/json",
        **api_token("county_office"),
    )
    assert same.status_code == 200
    office = login(world.users["county_office"])
    assert 'name="status"' not in office.get(f"/enterprises/{world.chem_t1.pk}/edit/").content.decode()
    assert Enterprise.objects.get(pk=world.chem_t1.pk).status == "operating"


def test_the_enterprise_page_offers_the_transitions_and_shows_the_history(world):
    office = login(world.users["county_office"])
    page = office.get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    assert 'value="suspend"' in page and 'value="close"' in page and 'value="resume"' not in page
    done = office.post(
        f"/enterprises/{world.chem_t1.pk}/transitions/",
        {"action": "close", "reason": "依法关闭取缔"},
        follow=True,
    )
    page = done.content.decode()
    assert "<strong>关闭</strong>（在营 → 关闭） 依法关闭取缔" in page
    assert 'value="reopen"' in page and 'value="suspend"' not in page
    assert Enterprise.objects.get(pk=world.chem_t1.pk).status == "closed"
    # an enterprise manager sees the history but no buttons, and a forged post is refused
    manager = login(world.users["enterprise_manager"])
    page = manager.get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    assert "依法关闭取缔" in page and 'value="reopen"' not in page
    manager.post(f"/enterprises/{world.chem_t1.pk}/transitions/", {"action": "reopen", "reason": "x"})
    assert Enterprise.objects.get(pk=world.chem_t1.pk).status == "closed"
    assert EnterpriseEvent.objects.count() == 1
