"""The MQTT consumer (command `anquan ingest-mqtt`): gateways publish to `anquan/v1/<gateway code>/readings` at
QoS 1; the consumer keeps a persistent session (fixed client id, clean start off, session kept a week), takes the
messages with manual acknowledgement, stores them in one transaction per ~200 ms (or per `MAX_MESSAGES` messages or
`MAX_BYTES` bytes) and acknowledges them only after that transaction committed. A consumer killed at any moment
therefore loses nothing: what was not acknowledged is delivered again, and what had been stored is counted as a
duplicate (the table's key). An unknown gateway's message is logged, counted, acknowledged and dropped; a
malformed payload is counted as refused; neither stops the consumer. docs/adr/0040-monitoring-ingestion.md."""

from __future__ import annotations

import gc
import logging
import os
import queue
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import DatabaseError, connection
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from .. import ticks
from ..models import Gateway
from .store import ingest_many

log = logging.getLogger("anquan.monitoring.mqtt")

TOPIC = "anquan/v1/+/readings"
CLIENT_ID = "anquan-ingest"
BATCH_SECONDS = 0.2
MAX_MESSAGES = 500
MAX_BYTES = 4 * 1024 * 1024
RECEIVE_MAXIMUM = 1000  # unacknowledged messages the broker may have in flight to us (MQTT 5)
SESSION_EXPIRY = (
    7 * 24 * 3600
)  # the broker keeps our subscription and queued messages this long while we are away
GATEWAY_TTL = 10.0
GC_THRESHOLD = 50_000
TICK_SECONDS = 15.0  # the consumer's monitoring tick (ticks.py): offline, stuck, gaps, escalation


@dataclass(frozen=True, slots=True)
class Broker:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool


def broker_from_url(url: str) -> Broker:
    """`mqtt://user:password@host:1883` (or `mqtts://` for TLS, default port 8883)."""
    parts = urllib.parse.urlsplit(url)
    tls = parts.scheme == "mqtts"
    return Broker(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or (8883 if tls else 1883),
        username=urllib.parse.unquote(parts.username) if parts.username else None,
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        tls=tls,
    )


def configured_broker() -> Broker:
    return broker_from_url(
        os.environ.get("MQTT_URL") or getattr(settings, "MQTT_URL", "") or "mqtt://127.0.0.1:1883"
    )


@dataclass(slots=True)
class Message:
    mid: int
    qos: int
    gateway_code: str
    payload: bytes
    generation: int  # the connection it came on: after a reconnect the broker sends it again, no ack then


class Consumer:
    def __init__(self, broker: Broker, *, client_id: str = CLIENT_ID, stats_every: float = 60.0):
        self.broker, self.stats_every = broker, stats_every
        self.inbox: queue.Queue[Message] = queue.Queue()
        self.stop = threading.Event()
        self.generation = 0
        self.counts: Counter[str] = Counter()
        self.gateways: dict[str, tuple[float, Gateway | None]] = {}
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        if broker.username:
            self.client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = self._on_subscribe
        self.client.reconnect_delay_set(1, 10)

    # ---- the network thread ----

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        if reason.is_failure:
            log.error("MQTT connection refused: %s", reason)
            return
        self.generation += 1
        log.info(
            "connected to MQTT %s:%s (session present: %s)",
            self.broker.host,
            self.broker.port,
            flags.session_present,
        )
        client.subscribe(TOPIC, qos=1)

    def _on_subscribe(self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, props: Any) -> None:
        log.info("subscribed to %s: %s", TOPIC, ", ".join(str(r) for r in reasons))

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, props: Any) -> None:
        log.warning("MQTT disconnected: %s", reason)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        levels = msg.topic.split("/")
        code = levels[2] if len(levels) == 4 else ""
        self.inbox.put(Message(msg.mid, msg.qos, code, msg.payload, self.generation))

    # ---- the storing thread ----

    def run(self) -> None:
        # the cyclic collector walked the process's whole heap (Django, the point catalogue) every few batches:
        # what exists at start is frozen out of its reach, and it runs less often (a batch allocates ~10 objects
        # per reading, nearly none of them in cycles)
        gc.freeze()
        gc.set_threshold(GC_THRESHOLD, 20, 20)
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = SESSION_EXPIRY
        props.ReceiveMaximum = RECEIVE_MAXIMUM
        self.client.connect_async(
            self.broker.host, self.broker.port, keepalive=30, clean_start=False, properties=props
        )
        self.client.loop_start()
        last_stats = last_tick = time.monotonic()
        try:
            while not self.stop.is_set():
                batch = self._collect()
                if batch:
                    self._handle(batch)
                if time.monotonic() - last_stats >= self.stats_every:
                    self._log_stats()
                    last_stats = time.monotonic()
                if time.monotonic() - last_tick >= TICK_SECONDS:
                    self._tick()
                    last_tick = time.monotonic()
        finally:
            self.client.disconnect()
            self.client.loop_stop()
            self._log_stats()

    def _tick(self) -> None:
        """Offline, stuck, gaps, escalation and maintenance (ticks.py) every TICK_SECONDS, so that silence is an
        alarm within a minute; the background worker's sweep runs the same, idempotent, when no consumer does."""
        try:
            ticks.tick()
        except Exception:  # a failing tick must not stop the storing of readings
            log.exception("monitoring tick failed")

    def _collect(self) -> list[Message]:
        try:
            first = self.inbox.get(timeout=0.5)
        except queue.Empty:
            return []
        batch, size = [first], len(first.payload)
        deadline = time.monotonic() + BATCH_SECONDS
        while len(batch) < MAX_MESSAGES and size < MAX_BYTES:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                msg = self.inbox.get(timeout=left)
            except queue.Empty:
                break
            batch.append(msg)
            size += len(msg.payload)
        return batch

    def _gateway(self, code: str) -> Gateway | None:
        cached = self.gateways.get(code)
        now = time.monotonic()
        if cached is not None and now - cached[0] < GATEWAY_TTL:
            return cached[1]
        gateway = (
            Gateway.objects.select_related("enterprise").filter(code=code, revoked_at__isnull=True).first()
            if code
            else None
        )
        self.gateways[code] = (now, gateway)
        return gateway

    def _handle(self, batch: list[Message]) -> None:
        """Store the batch (retrying while the database is away) and acknowledge it after the commit."""
        delay = 1.0
        while True:
            try:
                self._store(batch)
                break
            except DatabaseError as exc:
                log.error("database error, the batch of %d messages is retried: %s", len(batch), exc)
                connection.close()
                if self.stop.wait(delay):
                    return  # not acknowledged: delivered again to the next consumer
                delay = min(delay * 2, 30.0)
            except Exception:
                log.exception("a batch of %d messages failed; storing them one by one", len(batch))
                self._one_by_one(batch)
                break
        for msg in batch:
            self._ack(msg)

    def _store(self, batch: list[Message]) -> None:
        known: list[tuple[Gateway, bytes]] = []
        for msg in batch:
            gateway = self._gateway(msg.gateway_code)
            if gateway is None:
                self.counts["unknown_gateway"] += 1
                log.warning(
                    "message from an unknown or revoked gateway %r dropped (%d bytes)",
                    msg.gateway_code,
                    len(msg.payload),
                )
            else:
                known.append((gateway, msg.payload))
        if not known:
            return
        for result in ingest_many(known):
            self.counts["stored"] += result.stored
            self.counts["duplicates"] += result.duplicates
            for reason, n in result.rejected.items():
                self.counts[f"rejected_{reason}"] += n
        self.counts["messages"] += len(batch)

    def _one_by_one(self, batch: list[Message]) -> None:
        for msg in batch:
            try:
                self._store([msg])
            except Exception:
                self.counts["failed"] += 1
                log.exception("message of gateway %r not stored: %r", msg.gateway_code, msg.payload[:300])

    def _ack(self, msg: Message) -> None:
        if msg.qos > 0 and msg.generation == self.generation:
            self.client.ack(msg.mid, msg.qos)

    def _log_stats(self) -> None:
        log.info(
            "ingest-mqtt counts: %s", ", ".join(f"{k}={v}" for k, v in sorted(self.counts.items())) or "none"
        )
