"""The letters API over real HTTP with bearer tokens: the city office creates and issues a letter, 修水's office finds
it in its `box=reply` list and replies with a file (multipart), the city closes it; the events endpoint tells the
story; bad input is a field-level 422 in Chinese; another county gets 404; the recipient cannot close (403)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.utils import timezone

from ..browserless import call, token_for
from .conftest import CITY, XIUSHUI, png

pytestmark = pytest.mark.django_db(transaction=True)


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    for field, name, data, content_type in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_letter_life_over_http(live_server, world):
    base = live_server.url
    city, xiushui, lianxi = (token_for(base, u) for u in ("city_office", "county_office_b", "county_office"))
    due = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    body = {
        "kind": "supervision",
        "recipient_region": XIUSHUI,
        "subject": "加快重大事故隐患整改",
        "body": "整改进展缓慢。",
        "required_actions": "七日内完成整改",
        "reply_due": due,
        "issue": True,
    }
    status, _, raw = call(base, "POST", "/api/v1/letters", body, token=city)
    assert status == 201, raw
    letter = json.loads(raw)
    year = timezone.localdate().year
    assert letter["number"] == f"九安办督办〔{year}〕1号" and letter["status"] == "issued"
    assert letter["title"] == "关于加快重大事故隐患整改的督办函" and letter["recipient"] == "修水县人民政府"
    pk = letter["id"]

    # bad input: field-level Chinese 422, nothing written
    bad = body | {"recipient_region": CITY, "reply_due": "2020-01-01", "required_actions": ""}
    status, _, raw = call(base, "POST", "/api/v1/letters", bad, token=lianxi)
    assert status == 422
    fields = {e["field"]: e["message"] for e in json.loads(raw)["detail"]}
    assert (
        "不能向上级或其他地区发函" in fields["recipient_region"]
        and fields["reply_due"] == "回复期限不能早于今天"
    )
    assert fields["required_actions"] == "工作要求不能为空"

    # scope: another county sees nothing
    assert call(base, "GET", f"/api/v1/letters/{pk}", token=lianxi)[0] == 404
    assert (
        call(
            base,
            "POST",
            f"/api/v1/letters/{pk}/transitions",
            {"action": "close", "opinion": "x"},
            token=lianxi,
        )[0]
        == 404
    )
    status, _, raw = call(base, "GET", "/api/v1/letters", token=lianxi)
    assert json.loads(raw)["count"] == 0

    status, _, raw = call(base, "GET", "/api/v1/letters?box=reply", token=xiushui)
    listed = json.loads(raw)
    assert (
        status == 200
        and [i["id"] for i in listed["items"]] == [pk]
        and listed["items"][0]["actions"] == ["reply"]
    )

    photo = png()
    data, content_type = _multipart(
        {"reply": "已完成整改"}, [("files", photo.name, photo.read(), "image/png")]
    )
    status, _, raw = call(
        base, "POST", f"/api/v1/letters/{pk}/reply", raw=data, content_type=content_type, token=xiushui
    )
    assert status == 200, raw
    replied = json.loads(raw)
    assert replied["status"] == "replied" and replied["replied_late"] is False
    assert [f["name"] for f in replied["files"]] == ["整改照片.png"]
    status, _, file_bytes = call(base, "GET", replied["files"][0]["url"].removeprefix(""), token=city)
    assert status == 200 and file_bytes.startswith(b"\x89PNG")

    status, _, raw = call(
        base,
        "POST",
        f"/api/v1/letters/{pk}/transitions",
        {"action": "close", "opinion": "同意"},
        token=xiushui,
    )
    assert status == 403 and json.loads(raw)["detail"][0]["message"] == "只有发函的安委办可以执行此操作"
    status, _, raw = call(base, "POST", f"/api/v1/letters/{pk}/transitions", {"action": "close"}, token=city)
    assert status == 422 and json.loads(raw)["detail"][0]["field"] == "opinion"
    status, _, raw = call(
        base,
        "POST",
        f"/api/v1/letters/{pk}/transitions",
        {"action": "close", "opinion": "整改到位"},
        token=city,
    )
    assert status == 200 and json.loads(raw)["status"] == "closed"
    status, _, raw = call(
        base, "POST", f"/api/v1/letters/{pk}/transitions", {"action": "close", "opinion": "再次"}, token=city
    )
    assert status == 409

    status, _, raw = call(base, "GET", f"/api/v1/letters/{pk}/events", token=xiushui)
    assert [(e["action_label"], e["to_status"]) for e in json.loads(raw)] == [
        ("起草", "draft"),
        ("发出", "issued"),
        ("回复", "replied"),
        ("办结", "closed"),
    ]
