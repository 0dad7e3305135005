"""An inspector's random-inspection tasks (我的抽查任务) over live HTTP with bearer tokens: the picks they were
drawn for with the enterprise, its address and the co-inspectors; starting the inspection from the task makes one
inspection of kind random with the drawn inspectors (a co-inspector's second start answers the same one); an
inspector not drawn gets 404; after the inspection the pick's result is entered and linked to it."""

from __future__ import annotations

import json

import pytest

from anquan.core.models import AuditEntry
from tests.browserless import Session, call, token_for
from tests.conftest import PASSWORD
from tests.draws.conftest import new_draft
from tests.inspections.loopdata import registered
from tests.live.conftest import PNG, multipart

pytestmark = pytest.mark.django_db(transaction=True)


def api(base, token, method, path, body=None):
    status, _headers, raw = call(base, method, "/api/v1" + path, body, token=token)
    return status, (json.loads(raw) if raw else None)


def published(dw):
    from anquan.draws import services

    draw = new_draft(dw, enterprise_count=2)
    draw = services.transition(draw, "draw", actor=dw.supervisor, seed="任务-1")
    return services.transition(draw, "publish", actor=dw.supervisor)


def complete(base, token, inspection):
    path = f"/inspections/{inspection['id']}"
    first, *rest = inspection["items"]
    body = {"item": first["id"], "result": "noncompliant", "note": "报警器未检定"}
    assert api(base, token, "POST", path + "/items", body)[0] == 201
    for item in rest:
        assert (
            api(base, token, "POST", path + "/items", {"item": item["id"], "result": "compliant"})[0] == 201
        )
    data, content_type = multipart({"file": ("sign.png", PNG, "image/png")})
    status, _h, _raw = call(
        base, "POST", f"/api/v1{path}/signature", token=token, raw=data, content_type=content_type
    )
    assert status == 201
    status, done = api(
        base, token, "POST", path + "/transitions", {"action": "complete", "signatory_name": "王经理"}
    )
    assert status == 200 and done["status"] == "done", done


def test_an_inspector_starts_the_drawn_inspection_from_the_task_and_enters_the_result(
    live_server, draws_world
):
    base, dw = live_server.url, draws_world
    draw = published(dw)
    pick = draw.picks.order_by("position").first()
    registered(pick.enterprise)  # the 现场检查记录 states its address and legal representative
    drawn = [a.inspector for a in pick.assignments.order_by("position")]
    first, second = drawn[0], drawn[1]
    other = next(u for n, u in dw.inspectors.items() if u not in drawn and n != "expired")
    token = token_for(base, first.username)

    status, tasks = api(base, token, "GET", "/random-draws/tasks")
    assert status == 200, tasks
    card = next(t for t in tasks["open"] if t["draw"] == draw.pk and t["position"] == pick.position)
    assert card["enterprise_name"] == pick.enterprise_name and card["address"] == pick.enterprise.address
    assert card["co_inspectors"] == [second.full_name] and card["unit"] == "濂溪区应急管理局"
    assert (card["stage"], card["may_start"], card["inspection"]) == ("to_start", True, None)

    path = f"/random-draws/{draw.pk}/picks/{pick.position}/inspection"
    status, _ = api(base, token_for(base, other.username), "POST", path)
    assert status == 404  # not drawn for this enterprise
    status, started = api(base, token, "POST", path)
    assert status == 201 and started["stage"] == "inspecting", started
    status, again = api(base, token_for(base, second.username), "POST", path)
    assert status == 200 and again["inspection"] == started["inspection"]  # the co-inspector: the same one
    status, inspection = api(base, token, "GET", f"/inspections/{started['inspection']}")
    assert (inspection["kind"], inspection["status"]) == ("random", "in_progress")
    assert inspection["inspectors"] == sorted(u.username for u in drawn)
    assert inspection["enterprise"] == pick.enterprise.uscc and len(inspection["items"]) == 20
    assert AuditEntry.objects.filter(comment__startswith="开始抽查检查").count() == 1

    complete(base, token, inspection)
    status, tasks = api(base, token, "GET", "/random-draws/tasks")
    card = next(t for t in tasks["open"] if t["draw"] == draw.pk and t["position"] == pick.position)
    assert (card["stage"], card["may_enter_result"], card["inspection_status"]) == ("result", True, "done")

    # the result from the task card's page (a browser's session over plain HTTP)
    session = Session(base)
    session.login(first.username, PASSWORD)
    status, _h, html = session.request("GET", "/draws/tasks/")
    assert status == 200 and "我的抽查任务" in html.decode() and pick.enterprise_name in html.decode()
    assert (
        'value="ordered" selected' in html.decode()
    )  # the non-compliant item suggests "rectification ordered"
    form = {"result": "ordered", "result_text": ""}
    result_path = f"/draws/{draw.pk}/picks/{pick.position}/task-result/"
    csrf = session.csrf_token("/draws/tasks/")
    status, _h, html = session.request("POST", result_path, {"csrfmiddlewaretoken": csrf, **form})
    assert status == 422 and "发现问题时请简要说明" in html.decode()
    form["result_text"] = "可燃气体报警器未检定，已责令限期整改"
    status, _h, html = session.request("POST", result_path, {"csrfmiddlewaretoken": csrf, **form})
    assert status == 200 and 'data-stage="done"' in html.decode()  # redirected back
    status, body = api(base, token, "GET", f"/random-draws/{draw.pk}")
    done = next(p for p in body["picks"] if p["position"] == pick.position)
    assert (done["result"], done["inspection"]) == ("ordered", started["inspection"])
    status, tasks = api(base, token, "GET", "/random-draws/tasks")
    assert [(t["position"], t["stage"]) for t in tasks["done"]] == [(pick.position, "done")]
