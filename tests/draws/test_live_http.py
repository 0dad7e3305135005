"""Over live HTTP, as a machine client and as the public: a bearer token creates, draws and publishes a draw;
the rerun says the recomputation equals the stored result; the public API and page (no account) list the
published draw with the enterprises and the inspectors' names and nothing else about them, and never a draft;
out of scope answers 404; too few inspectors answers 409 naming the enterprise."""

from __future__ import annotations

import json

import pytest

from tests.browserless import call, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_draw_made_with_a_token_is_recomputed_and_published_for_everyone(live_server, draws_world):
    base = live_server.url
    dw = draws_world
    token = token_for(base, "emergency_supervisor")
    body = {"title": "2026年危化企业双随机抽查（第二批）", "enterprise_count": 3, "repeat_days": 0}
    status, _, raw = call(base, "POST", "/api/v1/random-draws", body, token=token)
    assert status == 201, raw
    draw = json.loads(raw)
    assert draw["status"] == "draft" and draw["unit"] == "濂溪区应急管理局" and draw["actions"] == ["draw"]
    status, _, raw = call(base, "POST", "/api/v1/random-draws", {**body, "title": "草稿不公开"}, token=token)
    draft_id = json.loads(raw)["id"]

    path = f"/api/v1/random-draws/{draw['id']}"
    status, _, raw = call(
        base, "POST", f"{path}/transitions", {"action": "draw", "seed": "濂溪-2026-2"}, token=token
    )
    assert status == 200, raw
    drawn = json.loads(raw)
    assert drawn["status"] == "drawn" and drawn["seed"] == "濂溪-2026-2" and len(drawn["picks"]) == 3
    assert drawn["enterprise_pool"] == sorted(drawn["enterprise_pool"]) and len(drawn["enterprise_pool"]) == 8
    assert all(len(p["inspectors"]) == 2 for p in drawn["picks"])

    status, _, raw = call(base, "POST", f"{path}/rerun", token=token)
    rerun = json.loads(raw)
    assert status == 200 and rerun["equal"] is True and rerun["message"] == "结果一致"
    assert [pick["enterprise"] for pick in rerun["recomputed"]] == [
        next(e.pk for e in dw.enterprises if e.uscc == p["enterprise"]) for p in drawn["picks"]
    ]

    status, _, raw = call(base, "POST", f"{path}/transitions", {"action": "publish"}, token=token)
    assert status == 200 and json.loads(raw)["status"] == "published"

    # the public API: no token at all
    status, _, raw = call(base, "GET", "/api/v1/public/random-draws?region=360402")
    assert status == 200, raw
    listed = json.loads(raw)
    assert [d["id"] for d in listed["items"]] == [draw["id"]] and draft_id != draw["id"]
    item = listed["items"][0]
    assert [p["enterprise_name"] for p in item["picks"]] == [p["enterprise_name"] for p in drawn["picks"]]
    assert item["picks"][0]["inspectors"] == [i["name"] for i in drawn["picks"][0]["inspectors"]]
    text = raw.decode()
    for secret in ("username", "emergency_supervisor", "seed", "enterprise_pool", "360402202"):
        assert secret not in text  # no usernames, certificate numbers, pools
    status, _, raw = call(base, "GET", "/api/v1/public/random-draws?region=360424")
    assert status == 200 and json.loads(raw)["count"] == 0  # another county

    # the public page, no login
    status, _, page = call(base, "GET", "/public/random-draws/?region=360402")
    html = page.decode()
    assert status == 200 and body["title"] in html and "草稿不公开" not in html
    assert drawn["picks"][0]["enterprise_name"] in html and drawn["picks"][0]["inspectors"][0]["name"] in html
    assert "未核实" in html  # the publication deadline is an unverified rule version

    # results entered by an inspector drawn for the pick are shown publicly
    inspector = drawn["picks"][0]["inspectors"][0]["username"]
    inspector_token = token_for(base, inspector)
    status, _, raw = call(
        base,
        "POST",
        f"{path}/picks/1/result",
        {"result": "ordered", "result_text": "责令限期整改3项"},
        token=inspector_token,
    )
    assert status == 200, raw
    status, _, raw = call(base, "GET", "/api/v1/public/random-draws?region=360402")
    assert json.loads(raw)["items"][0]["picks"][0]["result_label"] == "发现问题已责令整改"

    # out of scope: the other county's office sees nothing, gets 404
    other = token_for(base, "county_office_b")
    assert call(base, "GET", path, token=other)[0] == 404
    assert call(base, "POST", f"{path}/rerun", token=other)[0] == 404
    status, _, raw = call(base, "GET", "/api/v1/random-draws", token=other)
    assert json.loads(raw)["count"] == 0


def test_too_few_inspectors_answers_409_naming_the_enterprise(live_server, draws_world):
    base = live_server.url
    token = token_for(base, "emergency_supervisor")
    body = {"title": "每家五人", "enterprise_count": 1, "inspectors_per_enterprise": 5, "repeat_days": 0}
    status, _, raw = call(base, "POST", "/api/v1/random-draws", body, token=token)
    draw_id = json.loads(raw)["id"]
    status, _, raw = call(
        base, "POST", f"/api/v1/random-draws/{draw_id}/transitions", {"action": "draw"}, token=token
    )
    assert status == 409, raw
    detail = json.loads(raw)["detail"][0]
    assert (
        detail["code"] == "not_enough_inspectors"
        and "有限公司" in detail["message"]
        and "需要5名" in detail["message"]
    )
    status, _, raw = call(base, "GET", f"/api/v1/random-draws/{draw_id}", token=token)
    assert json.loads(raw)["status"] == "draft" and json.loads(raw)["picks"] == []
    # an inspector may not draw
    inspector = token_for(base, "inspector")
    status, _, raw = call(
        base, "POST", f"/api/v1/random-draws/{draw_id}/transitions", {"action": "draw"}, token=inspector
    )
    assert status == 403, raw
