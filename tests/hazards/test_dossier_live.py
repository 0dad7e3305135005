"""The dossier over real HTTP: two reports at once take consecutive business numbers (the counter row is locked by
the first until it commits), a county official urges an overdue hazard with a bearer token and the enterprise
reads the 催办 in its notifications, and the printed dossier comes down as PDF."""

import json
import subprocess

import pytest

from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from ..browserless import Session, call, token_for
from ..conftest import PASSWORD
from ..races import interleave
from .conftest import NOW, inspected

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reports_at_once_get_consecutive_numbers(live_server, world):
    token = token_for(live_server.url, "inspector")
    assert call(live_server.url, "GET", "/api/v1/hazards?limit=1", token=token)[0] == 200
    body = {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "同时上报"}

    def here():
        return reporting.report_hazard(dict(body), actor=world.users["inspector"], now=NOW).number

    def over_http():
        status, _, answer = call(live_server.url, "POST", "/api/v1/hazards", body, token=token)
        assert status == 201, answer
        return json.loads(answer)["number"]

    first, second = interleave(here, over_http)
    assert second.error is None, second.error
    year = NOW.year
    assert sorted([first.value, second.value]) == [f"濂溪隐〔{year}〕0001", f"濂溪隐〔{year}〕0002"]
    assert Hazard.objects.count() == 2


def test_county_urges_over_the_api_and_the_enterprise_is_told(live_server, world):
    hazard = inspected(world, deadline="2026-11-30")
    base = live_server.url
    county = token_for(base, "county_office")
    status, _, answer = call(base, "GET", f"/api/v1/hazards/{hazard.pk}", token=county)
    detail = json.loads(answer)
    assert status == 200 and "urge" in detail["actions"]
    assert detail["current_step"]["step"] == "整改" and detail["current_step"]["owner"] == "甲"
    assert detail["current_step"]["late"] is True and detail["current_step"]["countdown"].startswith("超期")

    status, _, answer = call(
        base,
        "POST",
        f"/api/v1/hazards/{hazard.pk}/transitions",
        {"action": "urge", "comment": "今天完成"},
        token=county,
    )
    assert status == 200, answer
    assert json.loads(answer)["urge_count"] == 1
    # the enterprise may not urge (403, in Chinese), and nothing was counted
    enterprise = token_for(base, "enterprise_manager")
    status, _, answer = call(
        base, "POST", f"/api/v1/hazards/{hazard.pk}/transitions", {"action": "urge"}, token=enterprise
    )
    assert status == 403 and "催办" in json.loads(answer)["detail"][0]["message"]
    assert Hazard.objects.get(pk=hazard.pk).urge_count == 1

    browser = Session(base)
    browser.login("enterprise_manager", PASSWORD)
    status, _, page = browser.request("GET", "/notifications/")
    assert status == 200 and f"催办：隐患{hazard.number}".encode() in page


def test_the_printed_dossier_as_pdf(live_server, world, tmp_path):
    hazard = inspected(world, deadline="2026-11-30", description="危化品仓库通风不良")
    browser = Session(live_server.url)
    browser.login("county_office", PASSWORD)
    status, headers, pdf = browser.request("GET", f"/hazards/{hazard.pk}/dossier.pdf")
    assert status == 200 and pdf.startswith(b"%PDF"), pdf[:200]
    assert headers["Content-Type"] == "application/pdf"
    (tmp_path / "d.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, check=True).stdout
    for words in (hazard.number, "危化品仓库通风不良", "验收人（签字）"):
        assert words.encode() in text, words
