"""Monitoring ingestion (issue #16) on PostgreSQL: readings per second end to end through MQTT (`anquan
ingest-mqtt`, a publisher in another process) and through the HTTP batch endpoint (`anquan serve`), beside a raw
COPY of the same rows into the same table in the same run (the floor); then the latency from a reading published
to its evaluation being visible (the point's live row; an alarm row when the evaluation raises one).

    DATABASE_URL=postgres://... bench/monitoring_ingest.py --points 50000 --rounds 10

Needs a migrated database (`anquan migrate`; an enterprise is made when there is none) and /usr/sbin/mosquitto.
The benchmark's points (device ids BENCH-*) and gateways are made on the first enterprise; the readings table is
emptied before each phase (do not point it at a database whose readings matter)."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import http.client
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup_django  # noqa: E402

setup_django()

import orjson  # noqa: E402
import paho.mqtt.client as mqtt  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from anquan.enterprises.models import Enterprise  # noqa: E402
from anquan.monitoring.ingest import gateways  # noqa: E402
from anquan.monitoring.ingest.mqtt import GC_THRESHOLD  # noqa: E402
from anquan.monitoring.models import Alarm, Gateway, MonitoringPoint, PointLive, Reading  # noqa: E402
from bench.harness import database_label, free_port, load_average, percentile  # noqa: E402

PREFIX = "BENCH-"
HIGH = 50.0


def bench_enterprise() -> Enterprise:
    """One hazardous chemicals enterprise in 濂溪区 when the database has none (a freshly migrated one)."""
    from anquan.accounts.models import User
    from anquan.enterprises import uscc
    from anquan.enterprises.services import create_enterprise
    from anquan.regions.models import Region

    actor = User.objects.filter(username="bench-ingest").first()
    if actor is None:
        actor = User(username="bench-ingest", role="sysadmin", region=Region.objects.get(code="360000"))
        actor.set_unusable_password()
        actor.save()
    region = Region.objects.filter(code__startswith="360402").order_by("-code").first()
    assert region is not None, "regions not loaded"
    raw = {"name": "压测化工有限公司", "uscc": uscc.make("91", "360402", "99000001"), "region": region.code}
    return create_enterprise({**raw, "industry": "hazardous_chemicals"}, actor=actor)


def prepare(n_points: int) -> tuple[Enterprise, list[MonitoringPoint], dict[str, str]]:
    enterprise = Enterprise.objects.order_by("pk").first() or bench_enterprise()
    Reading.objects.all().delete()
    PointLive.objects.filter(point__device_id__startswith=PREFIX).delete()
    Alarm.objects.filter(point__device_id__startswith=PREFIX).delete()
    MonitoringPoint.objects.filter(device_id__startswith=PREFIX).delete()
    Gateway.objects.filter(code__startswith=PREFIX).delete()
    points = MonitoringPoint.objects.bulk_create(
        (
            MonitoringPoint(
                enterprise=enterprise,
                region_code=enterprise.region_code,
                supervising_department_id=enterprise.supervising_department_id,
                device_id=f"{PREFIX}{i:06d}",
                name=f"压测点{i}",
                kind="combustible_gas",
                high=HIGH,
                high_high=HIGH * 2,
                # the readings are stamped up to an hour back: at the usual 10 s the consumer's tick would find
                # every point offline and raise tens of thousands of alarms in the middle of the latency samples
                expected_interval_s=3600,
            )
            for i in range(n_points)
        ),
        batch_size=5000,
    )
    keys = {}
    for code in ("BENCH-MQTT", "BENCH-HTTP"):
        keys[code] = gateways.issue(enterprise, code=code, name=code, actor=None)[1]
    return enterprise, points, keys


def payloads(points: list[MonitoringPoint], start: dt.datetime, rounds: int, batch: int) -> list[bytes]:
    """`rounds` readings of every point, one second apart, cut in payloads of `batch` readings."""
    out = []
    for r in range(rounds):
        ts = (start + dt.timedelta(seconds=r)).isoformat()
        for i in range(0, len(points), batch):
            chunk = points[i : i + batch]
            out.append(
                orjson.dumps(
                    [
                        {"device_id": p.device_id, "ts": ts, "value": 10.0 + (j + r) % 20}
                        for j, p in enumerate(chunk)
                    ]
                )
            )
    return out


def truncate() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Reading._meta.db_table}")


def count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {Reading._meta.db_table}")
        return int(cursor.fetchone()[0])


def raw_copy(points: list[MonitoringPoint], start: dt.datetime, rounds: int) -> tuple[float, float]:
    """The floor: COPY of the same rows (seconds for the COPY alone, and with building its text)."""
    truncate()
    t0 = time.perf_counter()
    lines = []
    for r in range(rounds):
        ts = (start + dt.timedelta(seconds=r)).isoformat()
        lines.extend(
            f"{p.pk}\t{ts}\t{10.0 + (j + r) % 20!r}\t{p.region_code}\n" for j, p in enumerate(points)
        )
    data = "".join(lines)
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.copy(
            f"COPY {Reading._meta.db_table} (point_id, ts, value, region_code) FROM STDIN"
        ) as copy:
            copy.write(data)
    t2 = time.perf_counter()
    assert count() == rounds * len(points)
    truncate()
    return t2 - t1, t2 - t0


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(120)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_count(total: int, deadline_s: float = 900) -> float:
    end = time.monotonic() + deadline_s
    while (n := count()) < total:
        if time.monotonic() > end:
            sys.exit(f"only {n} of {total} readings arrived")
        time.sleep(0.25)
    return time.perf_counter()


def in_process(gateway: Gateway, messages: list[bytes], total: int) -> tuple[float, float]:
    """`ingest_many` in this process, batches of 20 messages: seconds with the evaluation, and with it replaced by a
    no-op (what the evaluation costs)."""
    from anquan.monitoring import evaluation
    from anquan.monitoring.ingest.store import ingest_many

    gc.freeze()  # as the consumer does (ingest/mqtt.py): the collector leaves the objects made so far alone
    gc.set_threshold(GC_THRESHOLD, 20, 20)
    seconds = []
    for evaluate in (evaluation.evaluate, lambda readings: None):
        truncate()
        real, evaluation.evaluate = evaluation.evaluate, evaluate
        try:
            t0 = time.perf_counter()
            for i in range(0, len(messages), 20):
                ingest_many([(gateway, m) for m in messages[i : i + 20]])
            seconds.append(time.perf_counter() - t0)
        finally:
            evaluation.evaluate = real
        assert count() == total
    truncate()
    return seconds[0], seconds[1]


# ---- MQTT ----


def start_broker(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    config = folder / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n"
    )
    process = subprocess.Popen(
        ["/usr/sbin/mosquitto", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(0.5)
    return process, port


def start_consumer(port: int, folder: Path) -> tuple[subprocess.Popen[bytes], Path]:
    log = folder / "consumer.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "anquan.manage",
            "ingest-mqtt",
            "--url",
            f"mqtt://127.0.0.1:{port}",
            "--client-id",
            "bench",
        ],
        env={**os.environ, "DEBUG": "false"},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    end = time.monotonic() + 120
    while b"subscribed to" not in log.read_bytes():
        if time.monotonic() > end or process.poll() is not None:
            sys.exit(f"the consumer did not start: {log.read_text()}")
        time.sleep(0.1)
    return process, log


def publish(port: int, topic: str, messages: list[bytes]) -> None:
    """The publisher process: every message at QoS 1, as fast as the broker takes them."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv311)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect("127.0.0.1", port)
    client.loop_start()
    sent = [client.publish(topic, m, qos=1) for m in messages]
    for info in sent:
        info.wait_for_publish(600)
    client.disconnect()
    client.loop_stop()


def mqtt_phase(port: int, messages: list[bytes], total: int) -> float:
    truncate()
    publisher = multiprocessing.get_context("fork").Process(
        target=publish, args=(port, "anquan/v1/BENCH-MQTT/readings", messages)
    )
    t0 = time.perf_counter()
    publisher.start()
    t1 = wait_count(total)
    publisher.join(60)
    return t1 - t0


def latency(port: int, points: list[MonitoringPoint], samples: int) -> tuple[list[float], list[float]]:
    """Alarm latency: a point is put over its high threshold by a first reading stamped 11 s ago (the rule's
    minimum duration is 10 s), then a second reading stamped now is published and timed → the point's live row
    holding it, → its alarm row. Each sample uses another point (no alarm open yet)."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv311)
    client.connect("127.0.0.1", port)
    client.loop_start()
    live, alarms = [], []
    topic = "anquan/v1/BENCH-MQTT/readings"
    for k in range(samples):
        point = points[(k * 997 + 13) % len(points)]
        value = HIGH + 10 + k / 1000
        first = [
            {
                "device_id": point.device_id,
                "ts": (timezone.now() - dt.timedelta(seconds=11)).isoformat(),
                "value": value,
            }
        ]
        client.publish(topic, orjson.dumps(first), qos=1).wait_for_publish(10)
        end = time.perf_counter() + 5
        while (
            not PointLive.objects.filter(point=point, last_value=value).exists() and time.perf_counter() < end
        ):
            time.sleep(0.005)
        value += 0.0005
        body = orjson.dumps(
            [{"device_id": point.device_id, "ts": timezone.now().isoformat(), "value": value}]
        )
        t0 = time.perf_counter()
        client.publish(topic, body, qos=1)
        seen_live = None
        while time.perf_counter() - t0 < 5:
            if seen_live is None and PointLive.objects.filter(point=point, last_value=value).exists():
                seen_live = time.perf_counter() - t0
                live.append(seen_live)
            if Alarm.objects.filter(point=point).exists():
                alarms.append(time.perf_counter() - t0)
                break
            time.sleep(0.005)
    client.disconnect()
    client.loop_stop()
    return live, alarms


# ---- HTTP ----


def post_all(port: int, key: str, messages: list[bytes], out: multiprocessing.Queue) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    stored = 0
    for body in messages:
        conn.request(
            "POST",
            "/api/v1/monitoring/readings",
            body=body,
            headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        )
        reply = conn.getresponse()
        data = reply.read()
        if reply.status != 200:
            raise SystemExit(f"HTTP {reply.status}: {data[:300]!r}")
        stored += orjson.loads(data)["stored"]
    out.put(stored)


def start_server(folder: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    log = folder / "server.log"
    env = {
        **os.environ,
        "DEBUG": "false",
        "ANQUAN_ADDR": f"127.0.0.1:{port}",
        "ANQUAN_WORKERS": str(workers),
        "ANQUAN_EMBEDDED_WORKER": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "anquan.manage", "serve"],
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    end = time.monotonic() + 600  # a loaded machine boots the workers slowly
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            return process, port
        except OSError:
            if time.monotonic() > end or process.poll() is not None:
                sys.exit(f"the server did not start: {log.read_text()}")
            time.sleep(0.5)


def http_phase(port: int, key: str, messages: list[bytes], clients: int, total: int) -> tuple[float, int]:
    warm = [
        orjson.dumps(orjson.loads(m)[:1]) for m in messages[: clients * 4]
    ]  # every worker boots, loads points
    post_all(port, key, warm, multiprocessing.get_context("fork").Queue())
    truncate()
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()
    procs = [
        ctx.Process(target=post_all, args=(port, key, messages[i::clients], out)) for i in range(clients)
    ]
    t0 = time.perf_counter()
    for p in procs:
        p.start()
    stored = sum(out.get(timeout=900) for _ in procs)
    t1 = time.perf_counter()
    for p in procs:
        p.join(60)
    assert count() == total, (count(), total)
    return t1 - t0, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=10, help="readings per point in each phase")
    parser.add_argument("--batch", type=int, default=500, help="readings per message / request")
    parser.add_argument("--http-clients", type=int, default=4)
    parser.add_argument("--http-workers", type=int, default=2)
    parser.add_argument("--latency-samples", type=int, default=50)
    parser.add_argument(
        "--phases",
        nargs="+",
        choices=("process", "mqtt", "http"),
        default=("process", "mqtt", "http"),
        help="which phases to run after the floor (default all)",
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("PostgreSQL only")
    print(f"{database_label()}, load average {load_average()} before")
    enterprise, points, keys = prepare(args.points)
    total = args.points * args.rounds
    start = timezone.now().replace(microsecond=0) - dt.timedelta(hours=1)
    copy_s, copy_build_s = raw_copy(points, start, args.rounds)
    print(
        f"raw COPY of {total:,} rows: {total / copy_s:,.0f} rows/s ({copy_s:.2f} s; {total / copy_build_s:,.0f} rows/s with building the text)"
    )
    gateway = Gateway.objects.select_related("enterprise").get(code="BENCH-MQTT")
    if "process" in args.phases:
        messages = payloads(points, start - dt.timedelta(minutes=10), args.rounds, args.batch)
        with_eval, without_eval = in_process(gateway, messages, total)
        print(
            f"in process (ingest_many, 20 messages a transaction): {total / with_eval:,.0f} readings/s with the evaluation, "
            f"{total / without_eval:,.0f} readings/s without ({copy_s / with_eval:.2f} / {copy_s / without_eval:.2f} of raw COPY)"
        )
    folder = Path(tempfile.mkdtemp(prefix="anquan-bench-ingest-"))
    if "mqtt" in args.phases:
        mqtt_and_latency(folder, points, start, args, total, copy_s)
    if "http" in args.phases:
        http_run(folder, points, start, args, keys, total, copy_s)
    print(f"load average {load_average()} after")
    truncate()


def mqtt_and_latency(
    folder: Path,
    points: list[MonitoringPoint],
    start: dt.datetime,
    args: argparse.Namespace,
    total: int,
    copy_s: float,
) -> None:
    broker, port = start_broker(folder)
    consumer, consumer_log = start_consumer(port, folder)
    try:
        messages = payloads(points, start, args.rounds, args.batch)
        seconds = mqtt_phase(port, messages, total)
        print(
            f"MQTT: {total:,} readings in {len(messages)} messages of {args.batch}: {seconds:.2f} s, {total / seconds:,.0f} readings/s, {copy_s / seconds:.2f} of raw COPY"
        )
        live, alarms = latency(port, points, args.latency_samples)
        print(f"evaluation visible within 5 s for {len(live)} of {args.latency_samples} readings")
        live = live or [float("nan")]
        print(
            f"latency published → live row (n={len(live)}): p50 {percentile(live, 50) * 1000:.0f} ms, p95 {percentile(live, 95) * 1000:.0f} ms"
        )
        if alarms:
            print(
                f"latency published → alarm row (n={len(alarms)}): p50 {percentile(alarms, 50) * 1000:.0f} ms, p95 {percentile(alarms, 95) * 1000:.0f} ms"
            )
        else:
            print("no alarm row appeared within 5 s")
        print(f"alarm rows within 5 s: {len(alarms)} of {args.latency_samples}")
    finally:
        stop(consumer)
        stop(broker)
        print("consumer log tail:", consumer_log.read_text()[-400:].strip().replace("\n", " | "))


def http_run(
    folder: Path,
    points: list[MonitoringPoint],
    start: dt.datetime,
    args: argparse.Namespace,
    keys: dict[str, str],
    total: int,
    copy_s: float,
) -> None:
    server, http_port = start_server(folder, args.http_workers)
    try:
        messages = payloads(points, start + dt.timedelta(minutes=10), args.rounds, args.batch)
        seconds, stored = http_phase(http_port, keys["BENCH-HTTP"], messages, args.http_clients, total)
        print(
            f"HTTP: {stored:,} readings in {len(messages)} requests of {args.batch}, {args.http_clients} clients, {args.http_workers} gunicorn workers: {seconds:.2f} s, {total / seconds:,.0f} readings/s, {copy_s / seconds:.2f} of raw COPY"
        )
    finally:
        stop(server)


if __name__ == "__main__":
    main()
