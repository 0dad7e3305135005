"""A reused Idempotency-Key (DESIGN rule 6, issue #9): the same request replays the first answer, a
different request under the same key is refused with 422, over a real socket with a bearer token."""

import json
import urllib.request

import pytest

from anquan.hazards.models import Hazard

from .browserless import token_for

pytestmark = pytest.mark.django_db(transaction=True)


def post(base, path, raw: bytes, token, key):
    request = urllib.request.Request(base + path, data=raw, method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_same_key_same_request_replays_and_a_different_request_is_refused(live_server, world):
    base = live_server.url
    token = token_for(base, "county_office")
    first = {"enterprise": world.chem_t1.uscc, "description": "消防通道堵塞", "source": "inspection"}
    status, created = post(base, "/api/v1/hazards", json.dumps(first).encode(), token, "phone-1")
    assert status == 201, created

    # the same request again, its keys in another order and spaced differently: the first answer
    same = json.dumps(dict(reversed(list(first.items()))), indent=2).encode()
    status, replayed = post(base, "/api/v1/hazards", same, token, "phone-1")
    assert (status, replayed["id"]) == (201, created["id"])

    # another request under the same key: refused, nothing created, the first record unchanged
    other = {**first, "description": "配电箱未接地"}
    status, refused = post(base, "/api/v1/hazards", json.dumps(other).encode(), token, "phone-1")
    assert status == 422, refused
    assert refused["detail"][0]["field"] == "idempotency_key"
    assert refused["detail"][0]["code"] == "idempotency_key_reused"
    assert "幂等键" in refused["detail"][0]["message"]
    assert list(Hazard.objects.values_list("description", flat=True)) == ["消防通道堵塞"]

    # a new key for the new request works
    status, second = post(base, "/api/v1/hazards", json.dumps(other).encode(), token, "phone-2")
    assert status == 201 and second["id"] != created["id"]


def test_keys_are_per_user(live_server, world):
    """Another account's use of the same key string is not a reuse."""
    base = live_server.url
    body = json.dumps({"enterprise": world.chem_t1.uscc, "description": "护栏缺失", "source": "inspection"})
    for username in ("county_office", "township_office"):
        status, answer = post(base, "/api/v1/hazards", body.encode(), token_for(base, username), "k-1")
        assert status == 201, answer
    assert Hazard.objects.count() == 2
