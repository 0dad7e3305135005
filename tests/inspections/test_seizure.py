"""查封、扣押 on site (安全生产法第六十五条第一款第（四）项) over live HTTP with a bearer token and through the page: the
强制措施决定书 names the measure, each item and the period; a period beyond the rule version in force (30 days,
Order 15 art. 15; Order 18's text not held, so the page says 未核实), no items or another measure are refused by
field with nothing issued; another county's inspector gets 404."""

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
