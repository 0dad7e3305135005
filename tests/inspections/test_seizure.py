"""查封、扣押 on site (安全生产法第六十五条第一款第（四）项) over live HTTP with a bearer token and through the page: the
强制措施决定书 names the measure, each item and the period; a period beyond the rule version in force (30 days,
Order 15 art. 15; Order 18's text not held, so the page says 未核实), no items or another measure are refused by
field with nothing issued; another county's inspector gets 404."""

import datetime as dt
import io
import json

import pytest
from docx import Document as Docx

from anquan.documents.models import Document
from tests.browserless import Session, call, token_for
from tests.conftest import PASSWORD

from .loopdata import registered, walked

pytestmark = [pytest.mark.django_db(transaction=True)]


def api(base, token, path, body):
    status, _headers, raw = call(base, "POST", "/api/v1" + path, body, token=token)
    return status, (json.loads(raw) if raw else None)


def test_a_seizure_is_decided_in_writing_within_the_rules_period(world, live_server):
    registered(world.chem_t1)
    base, token = live_server.url, token_for(live_server.url, "inspector")
    insp = walked(world, world.chem_t1, bad=1)
    path = f"/inspections/{insp.pk}/seizures"
    good = {"measure": "查封", "items": ["甲类仓库", "3号液氯储罐"], "period_days": 30}
    for bad, field, words in (
        ({**good, "period_days": 31}, "period_days", "期限（日）应在1到30之间"),
        ({**good, "items": ["  "]}, "items", "请逐项填写"),
    ):
        status, body = api(base, token, path, bad)
        assert status == 422 and body["detail"][0]["field"] == field, body
        assert words in body["detail"][0]["message"]
    assert api(base, token, path, {**good, "measure": "拆除"})[0] == 422
    assert not Document.objects.filter(kind="coercive_measures").exists()
    # 修水县's office cannot see a 濂溪区 inspection: 404, nothing issued
    assert api(base, token_for(base, "county_office_b"), path, good)[0] == 404
    status, decision = api(base, token, path, {**good, "idempotency_key": "seize-1"})
    assert status == 201 and decision["kind"] == "coercive_measures", decision
    assert api(base, token, path, {**good, "idempotency_key": "seize-1"})[1]["id"] == decision["id"]
    status, _h, raw = call(base, "GET", decision["download_url"] + "?format=docx", token=token)
    assert status == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(raw)).paragraphs)
    assert decision["number"] in text and world.chem_t1.name in text
    assert "采取查封的行政强制措施，期限为30日" in text and "1. 甲类仓库" in text and "2. 3号液氯储罐" in text
    assert "第六十五条第一款第（四）项" in text and "问题1" in text


def test_the_page_asks_for_a_seizure_with_errors_under_the_fields(world, live_server):
    registered(world.chem_t1)
    insp = walked(world, world.chem_t1, bad=1)
    browser = Session(live_server.url)
    browser.login("inspector", PASSWORD)
    status, _h, page = browser.request("GET", f"/inspections/{insp.pk}/")
    assert 'data-testid="seizure-card"' in page.decode() and "未核实" in page.decode()  # Order 18 not held
    csrf = browser.csrf_token(f"/inspections/{insp.pk}/")
    form = {
        "csrfmiddlewaretoken": csrf,
        "measure": "扣押",
        "seized": "",
        "period_days": "45",
        "facts": "压力表超期未检",
    }
    status, _h, body = browser.request("POST", f"/inspections/{insp.pk}/seizure/", form)
    html = body.decode()
    assert status == 422 and "请逐项填写" in html and "期限（日）应在1到30之间" in html
    # what was typed is shown again
    assert (
        'data-testid="seizure-2" checked' in html
        and 'value="45"' in html
        and "压力表超期未检</textarea>" in html
    )
    assert not Document.objects.filter(kind="coercive_measures").exists()
    form.update(seized="不合格压力表2只\n报废气瓶5只", period_days="15")
    status, _h, body = browser.request("POST", f"/inspections/{insp.pk}/seizure/", form)  # → the inspection
    document = Document.objects.get(kind="coercive_measures")
    assert (
        document.context["items"] == ["不合格压力表2只", "报废气瓶5只"]
        and document.context["period_days"] == 15
    )
    assert status == 200 and document.number in body.decode()


def test_an_order_naming_an_unknown_item_is_refused_under_the_field_not_with_a_server_error(
    world, live_server
):
    """A field named `items` once broke the error banner of the inspection page (500)."""
    registered(world.chem_t1)
    insp = walked(world, world.chem_t1, bad=1)
    browser = Session(live_server.url)
    browser.login("inspector", PASSWORD)
    form = {"csrfmiddlewaretoken": browser.csrf_token(f"/inspections/{insp.pk}/"), "items": ["999999"]}
    status, _h, body = browser.request("POST", f"/inspections/{insp.pk}/order/", form)
    assert status == 422 and 'data-field="items"' in body.decode()
    assert not Document.objects.filter(kind="rectification_order").exists()


def test_a_seizure_is_extended_within_the_rule_and_released_over_http(world, live_server):
    """经负责人批准延长 with its reason, at most 30 days in all (refused beyond, naming the days left; 409 once used
    up); 解除 with the date and the things released; each step audited; another county 404; the unit's to-do warns
    before the period ends."""
    from anquan.core.models import AuditEntry
    from anquan.core.todo import items_for
    from anquan.inspections.models import Seizure

    registered(world.chem_t1)
    base, token = live_server.url, token_for(live_server.url, "inspector")
    insp = walked(world, world.chem_t1, bad=1)
    path = f"/inspections/{insp.pk}/seizures"
    assert (
        api(base, token, path, {"measure": "扣押", "items": ["报废气瓶5只", "压力表2只"], "period_days": 3})[
            0
        ]
        == 201
    )
    (listed,) = json.loads(call(base, "GET", "/api/v1" + path, token=token)[2])
    assert listed["status"] == "in_force" and listed["actions"] == ["extend", "release"]
    assert listed["countdown"] == "剩余 2 天" and listed["rule_unverified"] is True
    kinds = [i.kind for i in items_for(world.users["inspector"])]
    assert "inspections.seizure_due" in kinds  # ends within 3 days: the unit is warned

    extension = f"{path}/{listed['id']}/extension"
    status, body = api(base, token, extension, {"days": 31, "reason": "待检测报告"})
    assert status == 422 and body["detail"][0] == {
        "field": "days",
        "code": "too_long",
        "message": "延长期限不得超过30日，本次最多延长30日",
    }
    status, body = api(base, token, extension, {"days": 5, "reason": " "})
    assert status == 422 and body["detail"][0]["message"] == "延长理由不能为空"
    assert api(base, token_for(base, "county_office_b"), extension, {"days": 5, "reason": "x"})[0] == 404
    status, body = api(base, token, extension, {"days": 20, "reason": "待检测报告，经负责人批准"})
    assert (
        status == 200
        and body["extended_days"] == 20
        and body["extension_reason"] == "待检测报告，经负责人批准"
    )
    assert body["ends_on"] == (dt.date.fromisoformat(listed["ends_on"]) + dt.timedelta(days=20)).isoformat()
    status, body = api(base, token, extension, {"days": 11, "reason": "再延"})
    assert status == 422 and body["detail"][0]["message"].endswith("本次最多延长10日")
    assert api(base, token, extension, {"days": 10, "reason": "再延"})[0] == 200
    status, body = api(base, token, extension, {"days": 1, "reason": "又延"})
    assert status == 409 and "不得再延长" in body["detail"][0]["message"]

    release = f"{path}/{listed['id']}/release"
    status, body = api(base, token, release, {"items": ["甲类仓库"]})
    assert status == 422 and body["detail"][0]["message"] == "不在查封扣押清单中：甲类仓库"
    status, body = api(base, token, release, {"items": ["压力表2只"], "note": "检测合格"})
    assert status == 200 and body["status"] == "released" and body["released_items"] == ["压力表2只"]
    assert body["released_on"] == listed["starts_on"] and body["actions"] == []
    assert api(base, token, release, {})[0] == 409
    seized = Seizure.objects.get()
    audited = AuditEntry.objects.filter(model="inspections.seizure", object_id=str(seized.pk))
    assert audited.count() == 3  # two extensions and the release
    assert "inspections.seizure_due" not in [i.kind for i in items_for(world.users["inspector"])]


def test_the_page_card_extends_and_releases_with_errors_under_the_fields(world, live_server):
    from anquan.inspections.models import Seizure

    registered(world.chem_t1)
    insp = walked(world, world.chem_t1, bad=1)
    token = token_for(live_server.url, "inspector")
    body = {"measure": "查封", "items": ["甲类仓库", "1号罐"], "period_days": 30}
    assert api(live_server.url, token, f"/inspections/{insp.pk}/seizures", body)[0] == 201
    seized = Seizure.objects.get()
    browser = Session(live_server.url)
    browser.login("inspector", PASSWORD)
    page = f"/inspections/{insp.pk}/"
    html = browser.request("GET", page)[2].decode()
    assert 'data-testid="seizure"' in html and "在押 · 剩余 29 天" in html
    base = f"/inspections/{insp.pk}/seizures/{seized.pk}"
    form = {"csrfmiddlewaretoken": browser.csrf_token(page), "days": "31", "reason": ""}
    status, _h, raw = browser.request("POST", f"{base}/extend/", form)
    html = raw.decode()
    assert status == 422
    assert 'data-testid="error-days">延长期限不得超过30日，本次最多延长30日<' in html
    assert 'data-testid="error-reason">延长理由不能为空<' in html
    form.update(days="10", reason="待检测报告，经负责人批准")
    status, _h, raw = browser.request("POST", f"{base}/extend/", form)  # → the inspection
    seized.refresh_from_db()
    assert status == 200 and seized.extended_days == 10 and "待检测报告，经负责人批准" in raw.decode()
    form = {"csrfmiddlewaretoken": form["csrfmiddlewaretoken"], "items": ["1号罐"], "note": "已检测合格"}
    status, _h, raw = browser.request("POST", f"{base}/release/", form)
    seized.refresh_from_db()
    assert status == 200 and seized.status == "released" and seized.released_items == ["1号罐"]
    assert 'data-testid="seizure-released"' in raw.decode()
    other = Session(live_server.url)
    other.login("county_office_b", PASSWORD)
    assert other.request("GET", page)[0] == 404
