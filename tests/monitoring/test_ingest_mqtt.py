"""Readings through a real Mosquitto broker and the real consumer (`anquan ingest-mqtt` as a subprocess against
the test database): bad messages counted and logged while the consumer keeps going, and a consumer killed with
SIGKILL mid-stream losing nothing and storing nothing twice."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest
from django.db.models import Count
from django.utils import timezone

from anquan.monitoring.models import IngestRejection, PointLive, Reading

from ..test_server import database_url, free_port
from .conftest import make_gateway, make_points

pytestmark = pytest.mark.django_db(transaction=True)

MOSQUITTO = "/usr/sbin/mosquitto"


def wait_for_port(port: int, deadline_s: float = 20) -> None:
    end = time.monotonic() + deadline_s
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    """A Mosquitto of this module's own on a free port: queues for an absent persistent session without limit."""
    # scripts/test installs Debian's mosquitto: a missing broker is a broken set-up, never a quiet skip
    assert os.path.exists(MOSQUITTO), f"{MOSQUITTO} is missing: run scripts/test (it installs mosquitto)"
    folder = tmp_path_factory.mktemp("mosquitto")
    port = free_port()
    config = folder / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
        "max_queued_messages 0\nmax_inflight_messages 0\n"
    )
    process = subprocess.Popen(
        [MOSQUITTO, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port)
        yield port
    finally:
        process.terminate()
        process.wait(10)


class ConsumerProcess:
    """`anquan ingest-mqtt` against the test database; its log collected as it comes."""

    def __init__(self, port: int, log: Path, client_id: str):
        self.port, self.log, self.client_id = port, log, client_id
        self.process: subprocess.Popen[bytes] | None = None
        self.subscribed = threading.Event()

    def start(self) -> None:
        self.subscribed.clear()
        env = {**os.environ, "DATABASE_URL": database_url("ingest-mqtt"), "DEBUG": "false"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "anquan.manage",
                "ingest-mqtt",
                "--url",
                f"mqtt://127.0.0.1:{self.port}",
                "--client-id",
                self.client_id,
                "--stats-every",
                "1",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        threading.Thread(target=self._drain, args=(self.process,), daemon=True).start()
        assert self.subscribed.wait(120), self.text()
        assert self.process.poll() is None, self.text()

    def _drain(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdout is not None
        with open(self.log, "ab") as out:
            for line in process.stdout:
                out.write(line)
                out.flush()
                if b"subscribed to" in line:
                    self.subscribed.set()

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)


@contextlib.contextmanager
def consumer(port: int, tmp_path: Path, client_id: str):
    process = ConsumerProcess(port, tmp_path / "consumer.log", client_id)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def publisher(port: int) -> mqtt.Client:
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv311)
    client.max_queued_messages_set(0)
    client.max_inflight_messages_set(100)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def wait_until(condition, deadline_s: float, what: str) -> None:
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_bad_messages_are_counted_and_logged_and_the_consumer_keeps_going(broker, tmp_path, world):
    make_points(world.chem_t1, 3)
    gateway, _ = make_gateway(world.chem_t1, code="GW-MQTT-1")
    topic = f"anquan/v1/{gateway.code}/readings"
    now = timezone.now().replace(microsecond=0)
    with consumer(broker, tmp_path, "test-bad") as process:
        client = publisher(broker)
        sent = [
            client.publish("anquan/v1/NOPE/readings", b"[]", qos=1),
            client.publish(topic, b"{not json", qos=1),
            client.publish(
                topic, json.dumps([{"device_id": "XX-1", "ts": now.isoformat(), "value": 1}]), qos=1
            ),
            client.publish(
                topic,
                json.dumps({"readings": [{"device_id": "GT-00001", "ts": now.timestamp(), "value": 99.5}]}),
                qos=1,
            ),
        ]
        for info in sent:
            info.wait_for_publish(10)
        wait_until(lambda: Reading.objects.count() == 1, 60, "the good reading")
        wait_until(lambda: "unknown_gateway=1" in process.text(), 30, "the counts in the log")
        assert process.process is not None and process.process.poll() is None
        client.disconnect()
    counts = dict(IngestRejection.objects.filter(gateway=gateway).values_list("reason", "count"))
    assert counts == {"malformed": 1, "unknown_device": 1}
    assert PointLive.objects.get(point__device_id="GT-00001").last_value == 99.5
    log = process.text()
    assert "unknown or revoked gateway 'NOPE'" in log
    assert "rejected_malformed=1" in log and "rejected_unknown_device=1" in log and "stored=1" in log


def test_a_consumer_killed_mid_stream_loses_nothing_and_doubles_nothing(broker, tmp_path, world):
    points = make_points(world.chem_t1, 50)
    gateway, _ = make_gateway(world.chem_t1, code="GW-MQTT-KILL")
    topic = f"anquan/v1/{gateway.code}/readings"
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=2)
    seconds, per_message = 400, 100
    readings = [
        {
            "device_id": p.device_id,
            "ts": (start + dt.timedelta(seconds=s)).isoformat(),
            "value": float(s % 40),
        }
        for s in range(seconds)
        for p in points
    ]
    messages = [
        json.dumps(readings[i : i + per_message]).encode() for i in range(0, len(readings), per_message)
    ]
    assert len(readings) == 20_000

    process = ConsumerProcess(broker, tmp_path / "consumer.log", "test-kill")
    process.start()
    client = publisher(broker)
    published: list[mqtt.MQTTMessageInfo] = []

    def publish_all():
        for payload in messages:
            published.append(client.publish(topic, payload, qos=1))
            time.sleep(0.02)

    sender = threading.Thread(target=publish_all)
    sender.start()
    try:
        wait_until(lambda: Reading.objects.count() >= 4_000, 120, "the first readings")
        process.kill()  # SIGKILL: no chance to finish a batch nor to acknowledge it
        killed_at = Reading.objects.count()
        time.sleep(1)
        process.start()
        sender.join(120)
        for info in published:
            info.wait_for_publish(30)
        wait_until(lambda: Reading.objects.count() >= len(readings), 180, "every reading")
        time.sleep(2)  # anything redelivered late would show as an extra row now
    finally:
        process.stop()
        client.disconnect()
    assert 4_000 <= killed_at < len(readings)
    assert Reading.objects.count() == len(readings)
    per_point = Reading.objects.values("point_id").annotate(
        n=Count("ts"), distinct=Count("ts", distinct=True)
    )
    assert {(row["n"], row["distinct"]) for row in per_point} == {(seconds, seconds)}
    stored = set(Reading.objects.filter(point=points[7]).values_list("ts", flat=True))
    assert stored == {start + dt.timedelta(seconds=s) for s in range(seconds)}
