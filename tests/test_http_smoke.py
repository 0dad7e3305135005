"""Through a real socket with a plain HTTP client: a bearer token writes without any CSRF token, and
unreadable input answers a JSON 4xx (issue #9)."""

import json

import pytest

from .browserless import call, token_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_bearer_write_is_not_refused_for_csrf(live_server, world):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    status, _, body = call(
        base,
        "POST",
        "/api/v1/hazards",
        {"enterprise": world.chem_t1.uscc, "description": "消防通道堵塞", "source": "inspection"},
        token=token,
    )
    assert status == 201, body
    assert json.loads(body)["description"] == "消防通道堵塞"


@pytest.mark.parametrize(
    ("raw", "content_type", "status"),
    [
        (b'{"description": NaN}', "application/json", 422),
        (b'{"x": 1e309}', "application/json", 422),
        (b"{not json", "application/json", 400),
        (b'{"description": "a"}', "text/plain", 415),
        (b'{"description": "\\ud800"}', "application/json", 422),
    ],
)
def test_unreadable_bodies_answer_json_4xx(live_server, world, raw, content_type, status):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    got, headers, body = call(
        base, "POST", "/api/v1/hazards", token=token, raw=raw, content_type=content_type
    )
    assert got == status, body
    assert headers["Content-Type"].startswith("application/json")
    assert "detail" in json.loads(body)


def test_out_of_range_offset_is_422_not_500(live_server, world):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    for offset in ("-1", "9223372036854775808"):
        status, _, body = call(base, "GET", f"/api/v1/hazards?offset={offset}", token=token)
        assert status == 422, (offset, body)


@pytest.mark.parametrize("token", [None, "revoked-or-mistyped"])
def test_write_without_a_valid_token_is_401_not_csrf(live_server, world, token):
    status, headers, body = call(
        live_server.url, "POST", "/api/v1/hazards", {"description": "x"}, token=token
    )
    assert status == 401, body
    assert "CSRF" not in body.decode()
    assert json.loads(body)["detail"] == "未登录或令牌无效"


def test_unknown_api_path_answers_json_404(live_server, world):
    token = token_for(live_server.url, world.users["county_office"].username)
    status, headers, body = call(live_server.url, "GET", "/api/v1/no-such-thing", token=token)
    assert status == 404
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == {"detail": "未找到"}
    status, headers, body = call(live_server.url, "GET", "/no-such-page/")
    assert status == 404 and headers["Content-Type"].startswith("text/html")
