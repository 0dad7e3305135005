"""A sensor simulator for the demo and the benchmark (`anquan simulate-sensors`, issue #16 item 7).

N sensors of the kinds an installation must monitor, each a value that drifts slowly (a bounded random walk
around its base), with noise; now and then an excursion past its high threshold (below its low one for oxygen)
held for `excursion_seconds`, longer than the rule's minimum duration, so it raises an alarm; readings dropped at
random (`dropout`); and sensor 0 stuck: it repeats one value exactly (a wrapped or frozen sensor). Every
`interval` seconds each sensor gives one reading stamped with the tick's time; the tick's readings go out in
messages of at most `batch` readings — to MQTT (topic `anquan/v1/<gateway>/readings`, QoS 1) or to the HTTP batch
endpoint (`Authorization: Bearer <key>`), the payload being the JSON list the ingestion reads
(`[{"device_id", "ts", "value"}]`, ts ISO 8601 with offset). Ticks are paced on the monotonic clock: a late tick
is sent at once and the next keeps the schedule.

The device ids are `<prefix>-00001` … (sensor i has kind KINDS[i % 7]); `register()` creates those points (with
the thresholds the simulator plays against) and the gateway in an enterprise, when missing, so the simulator and
the ingestion agree without the simulator reading the database."""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .choices import PointKind

logger = logging.getLogger(__name__)

TOPIC = "anquan/v1/{gateway}/readings"
Item = dict[str, Any]  # one reading as sent: {"device_id", "ts", "value"}


@dataclass(frozen=True)
class Profile:
    """How a kind behaves: its base value, noise (standard deviation), drift step, bounds of the drift, its
    thresholds (those `register()` writes), the value of an excursion, and the decimals sent."""

    base: float
    noise: float
    drift: float
    span: float  # the drift stays within base ± span
    low: float | None
    high: float | None
    high_high: float | None
    excursion: float
    decimals: int = 2


# illustrative process figures; the gases' thresholds are GB/T 50493-2019's set points (rules.SETPOINTS)
PROFILES: dict[str, Profile] = {
    PointKind.COMBUSTIBLE_GAS: Profile(1.0, 0.3, 0.05, 2.0, None, 25.0, 50.0, 32.0, 1),
    PointKind.TOXIC_GAS: Profile(0.5, 0.15, 0.02, 1.0, None, 10.0, 20.0, 14.0, 1),
    PointKind.OXYGEN: Profile(20.9, 0.04, 0.01, 0.2, 19.5, 23.5, None, 18.6, 2),
    PointKind.TEMPERATURE: Profile(28.0, 0.2, 0.1, 6.0, None, 60.0, 80.0, 66.0, 1),
    PointKind.PRESSURE: Profile(0.80, 0.008, 0.004, 0.1, None, 1.20, 1.50, 1.32, 3),
    PointKind.LIQUID_LEVEL: Profile(5.0, 0.02, 0.01, 1.5, 0.5, 8.0, 9.0, 8.4, 2),
    PointKind.FLOW: Profile(50.0, 1.0, 0.3, 10.0, None, 80.0, 100.0, 86.0, 1),
}
KINDS = list(PROFILES)


def device_id(prefix: str, index: int) -> str:
    return f"{prefix}-{index + 1:05d}"


def kind_of(index: int) -> str:
    return KINDS[index % len(KINDS)]


@dataclass
class Options:
    sensors: int = 10
    interval: float = 10.0
    batch: int = 500
    duration: float | None = None  # seconds; None = until stopped
    prefix: str = "SIM"
    seed: int = 16
    dropout: float = 0.01  # chance a reading is not sent
    excursion_every: float = 6 * 3600.0  # a sensor's mean seconds between excursions
    excursion_seconds: float = 60.0  # how long one lasts (longer than the rule's minimum duration)
    stuck: bool = True  # sensor 0 repeats one value


@dataclass
class Sensor:
    device_id: str
    kind: str
    profile: Profile
    level: float  # the drifting centre
    excursion_left: float = 0.0  # seconds of the current excursion still to come
    stuck_value: float | None = None

    def step(self, rng: random.Random, opts: Options) -> float:
        p = self.profile
        if self.stuck_value is not None:
            return self.stuck_value
        self.level += rng.gauss(0.0, p.drift)
        self.level = min(max(self.level, p.base - p.span), p.base + p.span)
        if self.excursion_left <= 0 and rng.random() < opts.interval / opts.excursion_every:
            self.excursion_left = opts.excursion_seconds
        if self.excursion_left > 0:
            self.excursion_left -= opts.interval
            value = p.excursion + rng.gauss(0.0, p.noise)
        else:
            value = self.level + rng.gauss(0.0, p.noise)
        return round(max(value, 0.0), p.decimals)


@dataclass
class Stats:
    ticks: int = 0
    messages: int = 0
    readings: int = 0
    dropped: int = 0  # readings left out on purpose (dropouts)
    failed: int = 0  # messages the broker or the server did not take
    excursions: int = 0
    late_ticks: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


def make_sensors(opts: Options, rng: random.Random) -> list[Sensor]:
    sensors = []
    for i in range(opts.sensors):
        kind = kind_of(i)
        p = PROFILES[kind]
        sensors.append(Sensor(device_id(opts.prefix, i), kind, p, p.base + rng.uniform(-p.span, p.span) / 2))
    if opts.stuck and sensors:
        sensors[0].stuck_value = round(sensors[0].level, sensors[0].profile.decimals)
    return sensors


def tick(
    sensors: list[Sensor], at: dt.datetime, rng: random.Random, opts: Options, stats: Stats
) -> list[Item]:
    """One reading per sensor stamped `at` (the dropped ones left out)."""
    ts = at.isoformat(timespec="milliseconds")
    out = []
    for sensor in sensors:
        was_out = sensor.excursion_left > 0
        value = sensor.step(rng, opts)
        if sensor.excursion_left > 0 and not was_out:
            stats.excursions += 1
        if sensor.stuck_value is None and rng.random() < opts.dropout:
            stats.dropped += 1
            continue
        out.append({"device_id": sensor.device_id, "ts": ts, "value": value})
    return out


def batches(readings: list[Item], size: int) -> Iterator[list[Item]]:
    for start in range(0, len(readings), size):
        yield readings[start : start + size]


Send = Callable[[bytes], bool]


def run(
    opts: Options, send: Send, *, stats: Stats | None = None, clock: Callable[[], float] = time.monotonic
) -> Stats:
    """Tick until `duration` has passed (or forever), sending each tick's batches through `send`; the counts go
    to `stats` as they happen (so an interrupted run still has them)."""
    rng = random.Random(opts.seed)
    sensors = make_sensors(opts, rng)
    if opts.stuck and sensors:
        logger.info("simulator: %s is stuck at %s", sensors[0].device_id, sensors[0].stuck_value)
    stats = stats if stats is not None else Stats()
    started = clock()
    n = 0
    while opts.duration is None or n * opts.interval < opts.duration:
        due = started + n * opts.interval
        wait = due - clock()
        if wait > 0:
            time.sleep(wait)
        elif wait < -opts.interval / 2:
            stats.late_ticks += 1
        readings = tick(sensors, dt.datetime.now(dt.UTC), rng, opts, stats)
        for chunk in batches(readings, opts.batch):
            if send(json.dumps(chunk, separators=(",", ":")).encode()):
                stats.messages += 1
                stats.readings += len(chunk)
            else:
                stats.failed += 1
        stats.ticks += 1
        n += 1
    return stats


# --- transports -----------------------------------------------------------------------------------------------


def mqtt_sender(url: str, gateway: str, *, client_id: str | None = None) -> tuple[Send, Callable[[], None]]:
    """A QoS 1 publisher to `mqtt://host:port` (user:password@ accepted) and its closer (which waits for the
    broker's acknowledgement of everything sent)."""
    import paho.mqtt.client as mqtt

    parts = urlsplit(url)
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or f"anquan-sim-{gateway}")
    if parts.username:
        client.username_pw_set(parts.username, parts.password)
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    client.connect(parts.hostname or "127.0.0.1", parts.port or 1883, keepalive=30)
    client.loop_start()
    topic = TOPIC.format(gateway=gateway)
    pending: list[Any] = []

    def send(payload: bytes) -> bool:
        info = client.publish(topic, payload, qos=1)
        pending.append(info)
        if len(pending) > 2000:  # keep the queue bounded: wait for the oldest acknowledgements
            for old in pending[:1000]:
                old.wait_for_publish(timeout=30)
            del pending[:1000]
        return bool(info.rc == mqtt.MQTT_ERR_SUCCESS)

    def close() -> None:
        for info in pending:
            info.wait_for_publish(timeout=30)
        client.loop_stop()
        client.disconnect()

    return send, close


def http_sender(url: str, key: str, stats: Stats, *, timeout: float = 30.0) -> Send:
    """POST each batch to `url` with the gateway's key; a refusal or a network error is counted, not raised."""

    def send(payload: bytes) -> bool:
        request = urllib.request.Request(
            url,
            data=payload,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        )
        status = 0
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError as exc:
            logger.warning("simulator: POST failed: %s", exc)
        stats.by_status[status] = stats.by_status.get(status, 0) + 1
        return 200 <= status < 300

    return send


def summary(stats: Stats, seconds: float) -> str:
    rate = stats.readings / seconds if seconds > 0 else 0.0
    return (
        f"{stats.ticks} ticks, {stats.messages} messages, {stats.readings} readings ({rate:,.0f}/s), "
        f"{stats.dropped} dropped on purpose, {stats.excursions} excursions, {stats.failed} messages failed, "
        f"{stats.late_ticks} late ticks" + (f", HTTP status {stats.by_status}" if stats.by_status else "")
    )
