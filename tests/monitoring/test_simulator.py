"""The sensor simulator (`anquan simulate-sensors`, issue #16 item 7) against a real Mosquitto: what it publishes
(topic, payload shape, batches), its pacing, the excursions over the high threshold, the stuck sensor and the
dropouts; its HTTP transport against a real HTTP server; `--register` creating the gateway and the points."""

import datetime as dt
import json
import random
import shutil
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import paho.mqtt.client as mqtt
import pytest
from django.core.management import call_command

from anquan.monitoring import simulated, simulator
from anquan.monitoring.models import Gateway, MonitoringPoint
from anquan.monitoring.simulator import PROFILES

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    port = free_port()
    conf = tmp_path_factory.mktemp("mosquitto") / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    proc = subprocess.Popen(
        [MOSQUITTO, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "mosquitto did not start"
            time.sleep(0.1)
    yield f"mqtt://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def received(broker):
    """Messages on anquan/v1/+/readings as (arrival, topic, decoded payload), from a subscriber ready before the
    test publishes."""
    port = int(broker.rsplit(":", 1)[1])
    got, ready = [], threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-sub-{port}")
    client.on_connect = lambda c, *_: c.subscribe("anquan/v1/+/readings", qos=1)
    client.on_subscribe = lambda *_: ready.set()
    client.on_message = lambda c, u, m: got.append((time.monotonic(), m.topic, json.loads(m.payload)))
    client.connect("127.0.0.1", port)
    client.loop_start()
    assert ready.wait(10)
    yield got
    client.loop_stop()
    client.disconnect()


def test_the_command_publishes_paced_batches_with_excursions_and_a_stuck_sensor(broker, received):
    call_command(
        "simulate-sensors",
        *("--sensors", "8", "--interval", "0.5", "--duration", "3", "--batch", "5", "--dropout", "0"),
        *("--excursion-every", "1", "--excursion-seconds", "1.5", "--mqtt", broker, "--gateway", "GW-T"),
    )
    time.sleep(0.5)
    assert {topic for _, topic, _ in received} == {"anquan/v1/GW-T/readings"}
    payloads = [p for _, _, p in received]
    assert len(payloads) == 6 * 2  # 6 ticks of 8 readings in messages of at most 5
    assert all(isinstance(p, list) and 1 <= len(p) <= 5 for p in payloads)
    readings = [r for p in payloads for r in p]
    assert len(readings) == 48
    for r in readings:
        assert set(r) == {"device_id", "ts", "value"} and isinstance(r["value"], float)
        assert dt.datetime.fromisoformat(r["ts"]).utcoffset() is not None  # ISO 8601 with its offset
    by_device = {}
    for r in sorted(readings, key=lambda r: r["ts"]):
        by_device.setdefault(r["device_id"], []).append(r["value"])
    assert sorted(by_device) == [f"SIM-{i:05d}" for i in range(1, 9)]
    assert all(len(v) == 6 for v in by_device.values())

    # pacing: one tick every 0.5 s on the clock, each tick's readings sharing its time
    stamps = sorted({dt.datetime.fromisoformat(r["ts"]) for r in readings})
    assert len(stamps) == 6
    assert (stamps[-1] - stamps[0]).total_seconds() == pytest.approx(2.5, abs=0.4)  # 2 cores shared
    gaps = [(b - a).total_seconds() for a, b in zip(stamps, stamps[1:], strict=False)]
    assert all(0.1 < g < 0.9 for g in gaps), gaps  # a late tick is sent at once, the next keeps time

    # the stuck sensor repeats one value exactly; the others move
    assert len(set(by_device["SIM-00001"])) == 1
    assert all(len(set(v)) > 1 for d, v in by_device.items() if d != "SIM-00001")

    # an excursion past the threshold held for 1.5 s = 3 readings in a row, by some sensor
    def beyond(index, value):
        p = PROFILES[simulator.kind_of(index)]
        return value < p.low if simulator.kind_of(index) == "oxygen" else value > p.high

    runs = []
    for i in range(1, 8):
        run = best = 0
        for value in by_device[simulator.device_id("SIM", i)]:
            run = run + 1 if beyond(i, value) else 0
            best = max(best, run)
        runs.append(best)
    assert max(runs) >= 3, runs
    # outside excursions every value stays inside its thresholds
    for i in range(1, 8):
        p = PROFILES[simulator.kind_of(i)]
        for value in by_device[simulator.device_id("SIM", i)]:
            assert value <= (p.high_high or 1e9)


def test_dropouts_leave_readings_out_but_never_the_stuck_sensor():
    opts = simulator.Options(sensors=20, interval=1, dropout=0.3)
    rng = random.Random(1)
    sensors, stats = simulator.make_sensors(opts, rng), simulator.Stats()
    sent = [simulator.tick(sensors, dt.datetime.now(dt.UTC), rng, opts, stats) for _ in range(20)]
    total = sum(len(t) for t in sent)
    assert total + stats.dropped == 400 and 60 < stats.dropped < 180
    assert all(any(r["device_id"] == "SIM-00001" for r in t) for t in sent)


def test_the_http_transport_posts_each_batch_with_the_gateway_key():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.path, self.headers["Authorization"], json.loads(body)))
            self.send_response(200 if len(seen) < 3 else 422)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/api/v1/monitoring/readings"
        stats = simulator.Stats()
        opts = simulator.Options(sensors=6, interval=0.2, duration=0.4, batch=4, dropout=0)
        simulator.run(opts, simulator.http_sender(url, "gw_secret", stats), stats=stats)
    finally:
        server.shutdown()
    assert [(path, auth) for path, auth, _ in seen] == [
        ("/api/v1/monitoring/readings", "Bearer gw_secret")
    ] * 4
    assert [len(body) for _, _, body in seen] == [4, 2, 4, 2]
    assert stats.messages == 2 and stats.failed == 2 and stats.by_status == {200: 2, 422: 2}


def test_register_creates_the_gateway_and_points_once(world):
    done = simulated.register(sensors=9, interval=10, enterprise=world.chem_t1)
    assert done.key and Gateway.objects.get(code="SIM-GW-01").key_hash == Gateway.hash_key(done.key)
    points = MonitoringPoint.objects.filter(enterprise=world.chem_t1).order_by("device_id")
    assert done.created_points == 9 == points.count()
    gas = points.get(device_id="SIM-00001")
    assert (gas.kind, gas.unit, gas.high, gas.high_high) == ("combustible_gas", "%LEL", 25.0, 50.0)
    assert points.get(device_id="SIM-00003").low == 19.5  # oxygen: under 19.5 %VOL
    again = simulated.register(sensors=12, interval=10)
    assert again.key is None and again.created_points == 3
    assert MonitoringPoint.objects.filter(enterprise=world.chem_t1).count() == 12
