"""`anquan simulate-sensors`: simulated sensors publishing readings to MQTT or the HTTP batch endpoint
(anquan/monitoring/simulator.py), for the demo and the benchmark."""

import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anquan.monitoring import simulated, simulator


class Command(BaseCommand):
    help = (
        "Simulate N sensors sending a reading every S seconds (drift, noise, excursions over the high threshold, "
        "dropouts, one stuck sensor) to MQTT (topic anquan/v1/<gateway>/readings, QoS 1) or to the HTTP batch "
        "endpoint with a gateway key. --register first creates the gateway and points when missing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sensors", type=int, default=10)
        parser.add_argument("--interval", type=float, default=10.0, help="seconds between readings")
        parser.add_argument("--mqtt", default="", help="broker, e.g. mqtt://127.0.0.1:1883")
        parser.add_argument(
            "--http",
            default="",
            help="the batch endpoint's URL, e.g. http://127.0.0.1:8000/api/v1/monitoring/readings",
        )
        parser.add_argument("--key", default="", help="the gateway's key (with --http)")
        parser.add_argument("--gateway", default="SIM-GW-01", help="gateway code (the MQTT topic's level)")
        parser.add_argument("--duration", type=float, default=None, help="seconds to run (default: until ^C)")
        parser.add_argument("--batch", type=int, default=500, help="readings per message at most")
        parser.add_argument("--prefix", default="SIM", help="device ids are <prefix>-00001 …")
        parser.add_argument("--seed", type=int, default=16)
        parser.add_argument("--dropout", type=float, default=0.01, help="chance a reading is left out")
        parser.add_argument(
            "--excursion-every",
            type=float,
            default=6 * 3600.0,
            help="a sensor's mean seconds between excursions",
        )
        parser.add_argument(
            "--excursion-seconds", type=float, default=60.0, help="how long an excursion lasts"
        )
        parser.add_argument("--no-stuck", action="store_true", help="no stuck sensor")
        parser.add_argument(
            "--register", action="store_true", help="create the gateway and points if missing"
        )
        parser.add_argument(
            "--enterprise", type=int, default=None, help="with --register: the enterprise's id"
        )

    def _options(self, o: dict[str, Any]) -> simulator.Options:
        if o["sensors"] < 1 or o["interval"] <= 0 or o["batch"] < 1:
            raise CommandError("--sensors and --batch must be at least 1, --interval more than 0")
        if not 0 <= o["dropout"] < 1 or o["excursion_every"] <= 0 or o["excursion_seconds"] < 0:
            raise CommandError("--dropout must lie in [0, 1), --excursion-every above 0")
        return simulator.Options(
            sensors=o["sensors"],
            interval=o["interval"],
            batch=o["batch"],
            duration=o["duration"],
            prefix=o["prefix"],
            seed=o["seed"],
            dropout=o["dropout"],
            excursion_every=o["excursion_every"],
            excursion_seconds=o["excursion_seconds"],
            stuck=not o["no_stuck"],
        )

    def _register(self, o: dict[str, Any]) -> str:
        from anquan.enterprises.models import Enterprise

        enterprise = Enterprise.objects.filter(pk=o["enterprise"]).first() if o["enterprise"] else None
        if o["enterprise"] and enterprise is None:
            raise CommandError(f"no enterprise {o['enterprise']}")
        try:
            done = simulated.register(
                sensors=o["sensors"],
                interval=o["interval"],
                prefix=o["prefix"],
                gateway_code=o["gateway"],
                enterprise=enterprise,
            )
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(
            f"gateway {done.gateway.code} of {done.enterprise.name}: {done.created_points} points created"
        )
        if done.key:
            self.stdout.write(f"gateway key (shown once): {done.key}")
        return done.key or ""

    def handle(self, *args: Any, **o: Any) -> None:
        if bool(o["mqtt"]) == bool(o["http"]):
            raise CommandError("give one of --mqtt URL or --http URL")
        opts = self._options(o)
        logging.getLogger("anquan.monitoring").setLevel(logging.INFO)
        key = self._register(o) if o["register"] else ""
        stats = simulator.Stats()
        close = None
        if o["mqtt"]:
            send, close = simulator.mqtt_sender(o["mqtt"], o["gateway"])
        else:
            if not (o["key"] or key):
                raise CommandError("--http needs --key (or --register creating the gateway)")
            send = simulator.http_sender(o["http"], o["key"] or key, stats)
        signal.signal(signal.SIGTERM, _interrupt)  # stop like ^C: the counts so far are printed
        started = time.monotonic()
        try:
            result = simulator.run(opts, send, stats=stats)
        except KeyboardInterrupt:
            result = stats
        finally:
            if close is not None:
                close()
        self.stderr.write("simulate-sensors: " + simulator.summary(result, time.monotonic() - started))


def _interrupt(*_: Any) -> None:
    raise KeyboardInterrupt
