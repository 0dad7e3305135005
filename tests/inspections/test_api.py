"""Inspections over live HTTP with bearer tokens (issue #13 items 4 and 9): planning, recording results, a
non-compliant item reported as a hazard exactly once however often it is sent, completion refused without
two inspectors or the signatory, and out-of-scope answers."""

import json

import pytest

from tests.browserless import call, token_for
from tests.live.conftest import PNG, multipart

from .loopdata import registered

pytestmark = [pytest.mark.django_db(transaction=True)]


def api(base, token, method, path, body=None):
    status, _headers, raw = call(base, method, "/api/v1" + path, body, token=token)
    return status, (json.loads(raw) if raw else None)


def upload(base, token, path, name="sign.png"):
    data, content_type = multipart({"file": (name, PNG, "image/png")})
    status, _h, raw = call(base, "POST", "/api/v1" + path, token=token, raw=data, content_type=content_type)
    return status, json.loads(raw)


@pytest.fixture
def started(world, live_server):
    """A planned inspection of the t1 chemical enterprise by two inspectors, started."""
    base = live_server.url
    token = token_for(base, "inspector")
    status, body = api(
        base,
        token,
        "POST",
        "/inspections",
        {
            "enterprise": world.chem_t1.uscc,
            "kind": "random",
            "planned_on": "2026-12-01",
            "inspectors": ["inspector", "emergency_supervisor"],
        },
    )
    assert status == 201, body
    status, body = api(base, token, "POST", f"/inspections/{body['id']}/transitions", {"action": "start"})
    assert status == 200 and body["status"] == "in_progress", body
    return base, token, body


def hazards_of(base, token, uscc):
    status, body = api(base, token, "GET", f"/hazards?enterprise={uscc}&limit=500")
    assert status == 200, body
    return [h for h in body["items"] if h["source"] == "inspection"]


def test_a_non_compliant_item_becomes_one_major_hazard_however_often_it_is_sent(world, started):
    base, token, insp = started
    assert insp["progress"] == {"checked": 0, "total": 20}  # the seeded 危险化学品 checklist, version 1
    first = insp["items"][0]
    assert first["major"] and first["basis"].startswith("安监总管三〔2017〕121号")
    sent = {
        "item": first["id"],
        "result": "noncompliant",
        "note": "主要负责人未取得考核合格证",
        "idempotency_key": "k-1",
    }
    status, item = api(base, token, "POST", f"/inspections/{insp['id']}/items", sent)
    assert status == 201 and item["hazard"], item
    again_status, again = api(
        base, token, "POST", f"/inspections/{insp['id']}/items", sent
    )  # the phone resends
    assert again_status == 201 and again == item
    # a new key with the same result (a second device) still makes no second hazard
    other = dict(sent, idempotency_key="k-2", note="")
    status, third = api(base, token, "POST", f"/inspections/{insp['id']}/items", other)
    assert status == 201 and third["hazard"] == item["hazard"]
    found = hazards_of(base, token, world.chem_t1.uscc)
    assert [h["id"] for h in found] == [item["hazard"]]
    assert found[0]["level"] == "major"
    # the photo of the item goes with the hazard too
    status, with_photo = upload(base, token, f"/inspections/{insp['id']}/items/{first['id']}/photos", "p.png")
    assert status == 201 and len(with_photo["photos"]) == 1, with_photo
    from anquan.hazards.models import Attachment

    assert Attachment.objects.filter(hazard_id=item["hazard"]).count() == 1
    # an item that made a hazard cannot quietly become compliant
    status, body = api(
        base, token, "POST", f"/inspections/{insp['id']}/items", {"item": first["id"], "result": "compliant"}
    )
    assert status == 409 and "隐患" in body["detail"][0]["message"]


def test_a_free_item_and_completion_with_its_conditions(world, started):
    base, token, insp = started
    registered(world.chem_t1)  # what the 现场检查记录 completion issues states of the party
    path = f"/inspections/{insp['id']}"
    status, free = api(
        base,
        token,
        "POST",
        path + "/items",
        {"text": "消防通道堆放杂物", "result": "noncompliant", "note": "仓库东侧"},
    )
    assert status == 201 and free["free"] and free["hazard"] and not free["major"]
    for item in insp["items"]:
        assert (
            api(base, token, "POST", path + "/items", {"item": item["id"], "result": "compliant"})[0] == 201
        )
    # no signatory, no signature
    status, body = api(base, token, "POST", path + "/transitions", {"action": "complete"})
    assert status == 422 and {e["field"] for e in body["detail"]} == {"signatory_name"}
    status, body = api(
        base, token, "POST", path + "/transitions", {"action": "complete", "signatory_name": "王经理"}
    )
    assert status == 422 and [e["field"] for e in body["detail"]] == ["signature"]
    status, body = upload(base, token, path + "/signature")
    assert status == 201 and body["signature"], body
    status, body = api(
        base, token, "POST", path + "/transitions", {"action": "complete", "signatory_name": "王经理"}
    )
    assert status == 200 and body["status"] == "done" and body["progress"] == {"checked": 21, "total": 21}
    assert body["signatory_name"] == "王经理" and body["done_at"]
    # done: nothing more is recorded
    status, body = api(base, token, "POST", path + "/items", {"text": "补充", "result": "compliant"})
    assert status == 409


def test_completion_is_refused_with_fewer_than_two_inspectors(world, live_server):
    base = live_server.url
    token = token_for(base, "inspector")
    status, insp = api(
        base, token, "POST", "/inspections", {"enterprise": world.chem_t1.uscc, "planned_on": "2026-12-01"}
    )
    assert status == 201 and insp["inspectors"] == ["inspector"] and insp["kind"] == "plan"
    path = f"/inspections/{insp['id']}"
    assert api(base, token, "POST", path + "/transitions", {"action": "start"})[0] == 200
    for item in insp["items"]:
        api(base, token, "POST", path + "/items", {"item": item["id"], "result": "not_applicable"})
    upload(base, token, path + "/signature")
    status, body = api(
        base, token, "POST", path + "/transitions", {"action": "complete", "signatory_name": "王经理"}
    )
    assert status == 422
    assert body["detail"][0]["field"] == "inspectors" and "不少于2名" in body["detail"][0]["message"]
    status, body = api(base, token, "GET", path)
    assert body["status"] == "in_progress"


def test_cancel_needs_a_reason_and_other_units_get_404(world, started):
    base, token, insp = started
    path = f"/inspections/{insp['id']}"
    for persona in ("housing_supervisor", "county_office_b"):
        other = token_for(base, persona)
        assert api(base, other, "GET", path)[0] == 404
        assert api(base, other, "GET", path + "/items")[0] == 404
        assert (
            api(
                base, other, "POST", path + "/items", {"item": insp["items"][0]["id"], "result": "compliant"}
            )[0]
            == 404
        )
        assert api(base, other, "POST", path + "/transitions", {"action": "cancel", "reason": "x"})[0] == 404
        status, listed = api(base, other, "GET", "/inspections")
        assert status == 200 and insp["id"] not in [i["id"] for i in listed["items"]]
    # the enterprise sees its inspection but cannot record in it
    own = token_for(base, "enterprise_manager")
    assert api(base, own, "GET", path)[0] == 200
    assert (
        api(base, own, "POST", path + "/items", {"item": insp["items"][0]["id"], "result": "compliant"})[0]
        == 403
    )
    status, body = api(base, token, "POST", path + "/transitions", {"action": "cancel"})
    assert status == 422 and body["detail"][0]["field"] == "reason"
    status, body = api(base, token, "POST", path + "/transitions", {"action": "cancel", "reason": "企业停产"})
    assert status == 200 and body["status"] == "cancelled" and body["cancel_reason"] == "企业停产"
    status, listed = api(base, token, "GET", "/inspections?status=cancelled&kind=random")
    assert [i["id"] for i in listed["items"]] == [insp["id"]]
