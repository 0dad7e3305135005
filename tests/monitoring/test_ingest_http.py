"""Readings pushed by a gateway over real HTTP (`live_server` + urllib): stored once, refused readings counted by
reason, the key checked, the size limited."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from anquan.core.models import AuditEntry
from anquan.monitoring.ingest import gateways
from anquan.monitoring.models import Gateway, IngestRejection, MonitoringPoint, PointLive, Reading

from ..live.conftest import Api
from .conftest import make_gateway, make_points

URL = "/api/v1/monitoring/readings"


@pytest.fixture
def site(live_server, transactional_db, world):
    points = make_points(world.chem_t1, 5)
    gateway, key = make_gateway(world.chem_t1)
    return live_server.url, gateway, key, points


def post(base: str, key: str, body: object) -> tuple[int, dict]:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    reply = Api(base, key).call("POST", URL, raw=(raw, "application/json"))
    return reply.status, reply.json()


def readings(start: dt.datetime, n: int, devices: list[str]) -> list[dict]:
    return [
        {"device_id": d, "ts": (start + dt.timedelta(seconds=s)).isoformat(), "value": 10.0 + s}
        for s in range(n)
        for d in devices
    ]


def test_a_batch_is_stored_once_and_a_resend_is_counted_as_duplicates(site):
    base, gateway, key, points = site
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=10)
    body = readings(start, 20, [p.device_id for p in points])

    status, answer = post(base, key, body)
    assert (status, answer) == (200, {"stored": 100, "duplicates": 0, "rejected": {}})
    assert Reading.objects.count() == 100
    latest = PointLive.objects.get(point=points[0])
    assert latest.last_value == 29.0 and latest.last_ts == start + dt.timedelta(seconds=19)
    gateway.refresh_from_db()
    assert gateway.last_seen_at is not None

    # the same batch again, and an overlapping one in the object form: nothing stored twice
    status, answer = post(base, key, body)
    assert (status, answer) == (200, {"stored": 0, "duplicates": 100, "rejected": {}})
    status, answer = post(
        base, key, {"readings": readings(start + dt.timedelta(seconds=10), 20, ["GT-00000"])}
    )
    assert (status, answer) == (200, {"stored": 10, "duplicates": 10, "rejected": {}})
    assert Reading.objects.count() == 110
    epoch = [{"device_id": "GT-00001", "ts": (start + dt.timedelta(seconds=100)).timestamp(), "value": 3}]
    assert post(base, key, epoch + epoch) == (200, {"stored": 1, "duplicates": 1, "rejected": {}})
    counted = IngestRejection.objects.get(gateway=gateway, reason="duplicate")
    assert counted.count == 111


def test_each_refusal_is_counted_by_reason_with_an_example(site):
    base, gateway, key, points = site
    MonitoringPoint.objects.filter(pk=points[4].pk).update(retired_at=timezone.now())
    now = timezone.now()
    ok = {"device_id": "GT-00000", "ts": now.isoformat(), "value": 1.5}
    body = [
        ok,
        {"device_id": "NOPE-1", "ts": now.isoformat(), "value": 1},
        {"device_id": "GT-00004", "ts": now.isoformat(), "value": 1},
        {"device_id": "GT-00001", "ts": now.isoformat(), "value": "12"},
        {"device_id": "GT-00001", "ts": now.isoformat(), "value": True},
        {"device_id": "GT-00001", "ts": now.isoformat(), "value": None},
        {"device_id": "GT-00002", "ts": (now + dt.timedelta(hours=1)).isoformat(), "value": 1},
        {"device_id": "GT-00002", "ts": (now - dt.timedelta(days=31)).isoformat(), "value": 1},
        {"device_id": "GT-00003", "ts": "2026-12-02T08:00:00", "value": 1},  # no offset
        {"device_id": "GT-00003", "value": 1},
        "GT-00003",
    ]
    status, answer = post(base, key, body)
    assert status == 200
    assert answer == {
        "stored": 1,
        "duplicates": 0,
        "rejected": {
            "unknown_device": 1,
            "retired": 1,
            "not_numeric": 3,
            "ts_future": 1,
            "ts_past": 1,
            "malformed": 3,
        },
    }
    counts = dict(IngestRejection.objects.filter(gateway=gateway).values_list("reason", "count"))
    assert counts == answer["rejected"]
    assert "NOPE-1" in IngestRejection.objects.get(gateway=gateway, reason="unknown_device").example

    # a value past a double (1e400) is not JSON we can read: the whole body is one malformed refusal
    status, answer = post(base, key, b'[{"device_id": "GT-00000", "ts": 1, "value": 1e400}]')
    assert status == 400 and answer["detail"][0]["message"].startswith("请求体应为读数列表")
    status, answer = post(base, key, b"\xff\xfe not json")
    assert status == 400
    assert IngestRejection.objects.get(gateway=gateway, reason="malformed").count == 5
    long = IngestRejection.objects.get(gateway=gateway, reason="malformed").example
    assert len(long) <= 300
    assert Reading.objects.count() == 1


def test_a_bad_or_revoked_key_is_refused_and_the_key_is_shown_once(site):
    base, gateway, key, points = site
    now = timezone.now().isoformat()
    body = [{"device_id": "GT-00000", "ts": now, "value": 1.0}]
    assert Gateway.objects.get(pk=gateway.pk).key_hash == Gateway.hash_key(key)
    entry = AuditEntry.objects.get(model="monitoring.gateway", object_id=str(gateway.pk))
    assert key not in json.dumps(entry.after) and "key_hash" not in entry.after

    status, answer = post(base, key + "x", body)
    assert status == 401 and answer == {"detail": "未登录或令牌无效"}
    status, _ = post(base, "", body)
    assert status == 401

    gateways.revoke(gateway, actor=None)
    status, answer = post(base, key, body)
    assert status == 401
    assert Reading.objects.count() == 0
    assert AuditEntry.objects.filter(model="monitoring.gateway", object_id=str(gateway.pk)).count() == 2

    fresh = gateways.replace_key(Gateway.objects.get(pk=gateway.pk), actor=None)
    assert post(base, key, body)[0] == 401
    assert post(base, fresh, body) == (200, {"stored": 1, "duplicates": 0, "rejected": {}})


def test_too_large_or_too_many_is_refused_in_chinese(site):
    base, gateway, key, points = site
    now = timezone.now()
    huge = b"[" + b" " * (4 * 1024 * 1024) + b"]"
    status, answer = post(base, key, huge)
    assert status == 413 and "请求体过大" in answer["detail"]
    many = [
        {"device_id": "GT-00000", "ts": (now - dt.timedelta(seconds=i)).isoformat(), "value": 1}
        for i in range(10_001)
    ]
    status, answer = post(base, key, many)
    assert status == 422 and "最多提交" in answer["detail"][0]["message"]
    assert Reading.objects.count() == 0


def test_refused_readings_are_shown_to_the_enterprise_on_its_gateway_page(site, world):
    """What a gateway sent that was not stored is reported where its enterprise and supervisors look (the gateway
    page: reason, count, an example), and nowhere else."""
    from ..conftest import login

    base, gateway, key, points = site
    now = timezone.now().replace(microsecond=0)
    status, answer = post(
        base,
        key,
        [
            {"device_id": "NOPE-1", "ts": now.isoformat(), "value": 1.0},
            {"device_id": "NOPE-2", "ts": now.isoformat(), "value": 1.0},
            {"device_id": points[0].device_id, "ts": now.isoformat(), "value": "abc"},
        ],
    )
    assert status == 200 and answer["rejected"] == {"unknown_device": 2, "not_numeric": 1}
    page = login(world.users["enterprise_manager"]).get("/monitoring/gateways/").content.decode()
    assert "近7天未入库的数据" in page
    assert "未登记的设备 2 条" in page and "数值不是数字 1 条" in page and "NOPE-" in page
    other = login(world.users["county_office_b"]).get("/monitoring/gateways/").content.decode()
    assert "近7天未入库的数据" not in other and gateway.code not in other


@pytest.mark.django_db
def test_a_gateways_last_contact_is_written_at_most_every_few_seconds(world):
    """The gateway list shows each gateway's last contact: written with a batch when the stored one is older than
    5 s; a gateway object that already says a recent contact (the consumer's cached one, touched by its last
    batch) costs the next batch no query for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anquan.monitoring.ingest.store import ingest

    points = make_points(world.chem_t1, 2)
    gateway, _ = make_gateway(world.chem_t1)
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    Gateway.objects.filter(pk=gateway.pk).update(last_seen_at=long_ago)
    gateway = Gateway.objects.select_related("enterprise").get(pk=gateway.pk)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)

    def send(second: int) -> None:
        body = json.dumps(readings(start + dt.timedelta(seconds=second), 1, [p.device_id for p in points]))
        assert ingest(gateway, body.encode()).stored == 2

    send(0)
    stored = Gateway.objects.get(pk=gateway.pk).last_seen_at
    assert stored > long_ago and gateway.last_seen_at == stored
    # within 5 s: the same object, no write of the gateway row at all
    with CaptureQueriesContext(connection) as queries:
        send(1)
    assert not [q for q in queries.captured_queries if "monitoring_gateway" in q["sql"]]
    assert Gateway.objects.get(pk=gateway.pk).last_seen_at == stored
    # an object that says an old contact (loaded before) while the row is recent: the row is not set back
    gateway.last_seen_at = long_ago
    send(2)
    assert Gateway.objects.get(pk=gateway.pk).last_seen_at == stored
