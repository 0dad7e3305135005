"""The import API over real HTTP with a bearer token: preview, map, apply, export; bad input; another county."""

import io
import json
import uuid

import pytest
from openpyxl import load_workbook

from ..browserless import call, token_for
from .import_fixtures import gaoan_fixture, seed_text  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _json(reply):
    status, _, body = reply
    return status, json.loads(body) if body else None


def _multipart(fields: dict, name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_an_office_imports_maps_applies_and_exports_over_http(live_server, gaoan):
    campaign, _ = gaoan
    base, token = live_server.url, token_for(live_server.url, "gaoan_office")
    status, preview = _json(
        call(base, "POST", "/api/v1/campaign-imports", {"campaign": campaign.pk, "text": seed_text()}, token)
    )
    assert status == 201, preview
    assert (len(preview["lines"]), preview["units"], preview["recognised"], preview["flagged"]) == (
        34,
        142,
        115,
        27,
    )
    assert preview["lines"][0]["units"][1] == {
        "role": "jointly",
        "text": "市应急管理局",
        "kind": "department",
        "region": "360983",
        "department": preview["lines"][0]["units"][1]["department"],
        "label": "高安市应急管理局",
        "recognised": True,
    }
    path = f"/api/v1/campaign-imports/{preview['id']}"
    body = {"text": "市安委会矿山安全生产委员会", "kind": "region", "region": "360983"}
    status, mapped = _json(call(base, "POST", f"{path}/mappings", body, token))
    assert status == 200, mapped
    assert mapped["changed"] == 1 and mapped["flagged"] == 26
    assert "市安委会矿山安全生产委员会" not in mapped["flagged_names"]
    status, bad = _json(
        call(base, "POST", f"{path}/mappings", {"text": "市委宣传部", "kind": "department"}, token)
    )
    assert status in (400, 422) and bad["detail"][0]["field"] == "department"
    assert not bad["detail"][0]["message"].isascii()
    status, applied = _json(call(base, "POST", f"{path}/apply", None, token))
    assert status == 200 and (applied["created"], applied["skipped"], applied["status"]) == (34, 0, "applied")
    status, again = _json(call(base, "POST", f"{path}/apply", None, token))
    assert status == 200 and (again["created"], again["skipped"]) == (0, 34)
    assert _json(call(base, "GET", path, None, token))[1]["status"] == "applied"
    status, headers, data = call(base, "GET", f"/api/v1/campaigns/{campaign.pk}/tasks.xlsx", None, token)
    assert status == 200 and headers["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[3]] == [
        "序号",
        "所属板块",
        "任务名称",
        "任务内容",
        "牵头单位",
        "责任单位",
        "完成时限",
        "状态",
    ]
    assert sheet.max_row == 3 + 34
    raw, content_type = _multipart({"campaign": campaign.pk}, "任务清单.xlsx", data)
    status, upload = _json(
        call(base, "POST", "/api/v1/campaign-imports/upload", raw=raw, token=token, content_type=content_type)
    )
    assert status == 201, upload
    assert len(upload["lines"]) == 34 and upload["flagged"] == 26  # the mapping remembered


def test_bad_input_is_a_field_level_chinese_4xx(live_server, gaoan):
    campaign, _ = gaoan
    base, token = live_server.url, token_for(live_server.url, "gaoan_office")
    for text, field in (("", "text"), ("没有编号的任务", "text")):
        status, reply = _json(
            call(base, "POST", "/api/v1/campaign-imports", {"campaign": campaign.pk, "text": text}, token)
        )
        assert status in (400, 422) and reply["detail"][0]["field"] == field, reply
        assert not reply["detail"][0]["message"].isascii()
    raw, content_type = _multipart({"campaign": campaign.pk}, "清单.docx", b"PK\x03\x04 not a workbook")
    status, reply = _json(
        call(base, "POST", "/api/v1/campaign-imports/upload", raw=raw, token=token, content_type=content_type)
    )
    assert status in (400, 422) and reply["detail"][0]["field"] == "file"


def test_an_office_of_another_county_gets_404(live_server, gaoan):
    campaign, _ = gaoan
    base = live_server.url
    mine = token_for(base, "gaoan_office")
    _, preview = _json(
        call(base, "POST", "/api/v1/campaign-imports", {"campaign": campaign.pk, "text": seed_text()}, mine)
    )
    other = token_for(base, "county_office")  # 濂溪区
    assert (
        call(base, "POST", "/api/v1/campaign-imports", {"campaign": campaign.pk, "text": seed_text()}, other)[
            0
        ]
        == 404
    )
    for method, path in (
        ("GET", f"/api/v1/campaign-imports/{preview['id']}"),
        ("POST", f"/api/v1/campaign-imports/{preview['id']}/apply"),
        ("GET", f"/api/v1/campaigns/{campaign.pk}/tasks.xlsx"),
    ):
        assert call(base, method, path, None, other)[0] == 404, path
    body = {"text": "市委宣传部", "kind": "text_only"}
    assert call(base, "POST", f"/api/v1/campaign-imports/{preview['id']}/mappings", body, other)[0] == 404
