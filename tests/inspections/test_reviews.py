"""Issue #13 items 4, 6 and 7 over live HTTP with bearer tokens: completing an inspection issues the 现场检查记录
(refused, nothing written, when the registry cannot fill it), on-site measures issue their decision, a
rectification order issues the 责令限期整改指令书 and creates the review due on its deadline in the inspectors'
to-do list; recording the review issues the 整改复查意见书, and "not rectified" offers the case path."""

import json

import pytest

from anquan.documents.models import Document
from anquan.enterprises.models import Enterprise
from tests.browserless import call, token_for
from tests.live.conftest import PNG, multipart

from .loopdata import days, registered, walked

pytestmark = [pytest.mark.django_db(transaction=True)]


def api(base, token, method, path, body=None):
    status, _headers, raw = call(base, method, "/api/v1" + path, body, token=token)
    return status, (json.loads(raw) if raw else None)


def test_completion_issues_the_onsite_record_or_refuses_without_writing(world, live_server):
    base, token = live_server.url, token_for(live_server.url, "inspector")
    insp = walked(world, world.chem_t1, bad=2, complete=False)
    path = f"/inspections/{insp.pk}"
    data, content_type = multipart({"file": ("s.png", PNG, "image/png")})
    call(base, "POST", f"/api/v1{path}/signature", token=token, raw=data, content_type=content_type)
    done = {"action": "complete", "signatory_name": "王经理"}
    status, body = api(
        base, token, "POST", path + "/transitions", done
    )  # no address, no legal representative
    assert status == 422 and body["detail"][0]["field"] == "enterprise"
    assert "地址、法定代表人" in body["detail"][0]["message"]
    assert api(base, token, "GET", path)[1]["status"] == "in_progress" and not Document.objects.exists()
    registered(world.chem_t1)
    status, body = api(base, token, "POST", path + "/transitions", done)
    assert status == 200 and body["status"] == "done", body
    status, docs = api(base, token, "GET", path + "/documents")
    assert status == 200 and [d["kind"] for d in docs] == ["inspection_record"]
    record = Document.objects.get(pk=docs[0]["id"])
    assert record.context["signatory"] == "王经理" and len(record.context["inspectors"]) == 2
    assert (
        record.context["findings"][0].endswith("不符合2项，不适用0项。")
        and "问题1" in record.context["findings"][1]
    )
    status, _h, raw = call(base, "GET", docs[0]["download_url"] + "?format=docx", token=token)
    assert status == 200 and raw[:2] == b"PK"
    # on-site measures: a choice outside the list is refused, a chosen one is decided in writing
    bad = {"measures": ["拆除厂房"]}
    assert api(base, token, "POST", path + "/on-site-measures", bad)[0] == 422
    status, decision = api(
        base, token, "POST", path + "/on-site-measures", {"measures": ["责令立即停止作业"]}
    )
    assert status == 201 and decision["kind"] == "on_site_measures", decision
    measures = Document.objects.get(pk=decision["id"])
    assert "责令立即停止作业" in measures.context["measures"] and "问题2" in measures.context["facts"]


def test_an_order_creates_its_review_which_records_its_opinion_and_the_case_path(world, live_server):
    registered(world.chem_t1)
    base, token = live_server.url, token_for(live_server.url, "inspector")
    insp = walked(world, world.chem_t1, bad=2)
    path = f"/inspections/{insp.pk}"
    # the deadline: not in the past; required when the hazards have none to take it from
    status, body = api(
        base, token, "POST", path + "/rectification-orders", {"deadline": days(-1).isoformat()}
    )
    assert (
        status == 422
        and body["detail"][0]["field"] == "deadline"
        and "不能早于今天" in body["detail"][0]["message"]
    )
    status, body = api(base, token, "POST", path + "/rectification-orders", {})
    assert status == 422 and body["detail"][0]["field"] == "deadline"
    assert Document.objects.filter(kind="rectification_order").count() == 0
    order = {"deadline": days(2).isoformat(), "idempotency_key": "order-1"}
    status, review = api(base, token, "POST", path + "/rectification-orders", order)
    assert status == 201, review
    assert review["status"] == "pending" and review["due_on"] == days(2).isoformat()
    assert review["countdown"] == "剩余 2 天" and not review["overdue"]
    assert "责改" in review["order"]["number"] and [i["text"] for i in review["items"]] != []
    assert len(review["items"]) == 2 and review["case_url"] is None
    assert api(base, token, "POST", path + "/rectification-orders", order)[1] == review  # a resend: once
    assert Document.objects.filter(kind="rectification_order").count() == 1
    status, body = api(base, token, "POST", path + "/rectification-orders", {"deadline": days(3).isoformat()})
    assert status == 422 and body["detail"][0]["field"] == "items"  # every non-compliant item is ordered
    # in the to-do centre of the inspection's inspectors, due within three days
    for persona in ("inspector", "emergency_supervisor"):
        status, todo = api(base, token_for(base, persona), "GET", "/todo")
        assert {"kind": "inspections.review_due", "count": 1} in [
            {"kind": i["kind"], "count": i["count"]} for i in todo["items"]
        ], persona
    rpath = f"{path}/reviews/{review['id']}"
    # other units do not see it; the enterprise sees it and may not record it
    for persona in ("county_office_b", "housing_supervisor"):
        other = token_for(base, persona)
        assert api(base, other, "GET", path + "/reviews")[0] == 404
        assert api(base, other, "POST", rpath + "/record", {"results": []})[0] == 404
    own = token_for(base, "enterprise_manager")
    items = review["items"]
    answers = [{"item": items[0]["item"], "rectified": True}, {"item": items[1]["item"], "rectified": False}]
    assert api(base, own, "POST", rpath + "/record", {"results": answers})[0] == 403
    status, body = api(base, token, "POST", rpath + "/record", {"results": answers[:1]})
    assert (
        status == 422 and body["detail"][0]["field"] == "results" and "第2项" in body["detail"][0]["message"]
    )
    status, done = api(
        base, token, "POST", rpath + "/record", {"results": answers, "note": "东侧通道仍堆放杂物"}
    )
    assert status == 200, done
    assert done["status"] == "not_rectified" and done["case_url"] == f"/cases/new/?inspection={insp.pk}"
    assert [i["rectified"] for i in done["items"]] == [True, False] and done["countdown"] == ""
    opinion = Document.objects.get(pk=done["opinion"]["id"])
    assert opinion.kind == "review_opinion" and opinion.context["rectified"] is False
    assert opinion.context["order_number"] == review["order"]["number"]
    assert (
        "已整改1项，未整改1项" in opinion.context["opinion"]
        and "东侧通道仍堆放杂物" in opinion.context["opinion"]
    )
    status, body = api(base, token, "POST", rpath + "/record", {"results": answers})
    assert status == 409  # recorded once
    status, listed = api(base, token, "GET", path + "/reviews")
    assert listed["count"] == 1 and listed["items"][0]["opinion"]["number"] == opinion.number
    status, todo = api(base, token, "GET", "/todo")
    assert "inspections.review_due" not in [i["kind"] for i in todo["items"]]
    kinds = [d["kind"] for d in api(base, token, "GET", path + "/documents")[1]]
    assert kinds == ["inspection_record", "rectification_order", "review_opinion"]
    assert Enterprise.objects.get(pk=world.chem_t1.pk).documents.count() == 3
