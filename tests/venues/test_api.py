"""/api/v1/small-venues over the real server: typed create (PIN once), scoped get (404 out of county), patch with
field-level Chinese 422, the QR PNG, the label sheet PDF and the statistics."""

import io
import json
import urllib.request

import pytest
import zxingcpp
from PIL import Image

from tests.browserless import call as _call
from tests.browserless import token_for

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {
    "kind": "small_hotel",
    "name": "十里旅社",
    "address": "十里大道9号",
    "owner_name": "钱七",
    "owner_phone": "13600000000",
}


def call(live_server, method, path, token, body=None):
    status, _headers, data = _call(live_server.url, method, path, body, token)
    return status, json.loads(data) if data else None


def _raw(live_server, path, token):
    request = urllib.request.Request(live_server.url + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, answer.headers["Content-Type"], answer.read()


def test_small_venue_api_over_http(live_server, world):
    office = token_for(live_server.url, "county_office")
    other = token_for(live_server.url, "county_office_b")
    status, body = call(
        live_server, "POST", "/api/v1/small-venues", office, {**BODY, "region": world.t1.code}
    )
    assert status == 201, body
    assert len(body["pin"]) == 6 and body["public_url"].endswith(f"/v/{body['public_code']}/")
    venue_id = body["id"]

    status, body = call(live_server, "GET", f"/api/v1/small-venues/{venue_id}", other)
    assert status == 404
    status, body = call(live_server, "GET", f"/api/v1/small-venues/{venue_id}", office)
    assert status == 200 and "pin" not in body and body["kind_name"] == "小旅馆"

    status, body = call(
        live_server, "PATCH", f"/api/v1/small-venues/{venue_id}", office, {"owner_phone": "x1"}
    )
    assert status == 422 and body["detail"][0]["field"] == "owner_phone"
    assert "联系电话" in body["detail"][0]["message"]
    status, body = call(live_server, "PATCH", f"/api/v1/small-venues/{venue_id}", office, {"exits": 2})
    assert status == 200 and body["exits"] == 2

    status, body = call(live_server, "POST", "/api/v1/small-venues", office, {**BODY, "region": "360424001"})
    assert status == 422 and body["detail"][0]["field"] == "region"

    status, body = call(live_server, "GET", "/api/v1/small-venues?kind=small_hotel", office)
    assert status == 200 and body["count"] == 1
    status, body = call(live_server, "GET", "/api/v1/small-venues?kind=bar", office)
    assert status == 422 and body["detail"][0]["field"] == "kind"
    assert call(live_server, "GET", "/api/v1/small-venues", other)[1]["count"] == 0

    status, kind, png = _raw(live_server, f"/api/v1/small-venues/{venue_id}/qr", office)
    assert kind == "image/png"
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    code = call(live_server, "GET", f"/api/v1/small-venues/{venue_id}", office)[1]["public_code"]
    assert decoded.text == f"{live_server.url}/v/{code}/"
    status, kind, pdf = _raw(live_server, "/api/v1/small-venues/qr-sheet?kind=small_hotel", office)
    assert kind == "application/pdf" and pdf.startswith(b"%PDF")

    status, body = call(live_server, "GET", f"/api/v1/stats/small-venues?region={world.t1.code}", office)
    assert status == 200, body
    assert body["venues"] == 1 and body["checked_this_month"] == 0 and body["coverage"] == 0.0
    assert body["by_kind"] == [{"key": "small_hotel", "name": "小旅馆", "venues": 1, "checked": 0}]
    status, body = call(live_server, "GET", "/api/v1/stats/small-venues?region=360424", office)
    assert status == 422 and body["detail"][0]["field"] == "region"
    assert body["detail"][0]["message"] == "区域不存在或不在您的管辖范围内"
