"""`anquan ingest-mqtt`: the MQTT consumer of the gateways' readings (anquan/monitoring/ingest/mqtt.py)."""

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anquan.monitoring.ingest import mqtt


class Command(BaseCommand):
    help = (
        "Consume the gateways' readings from the MQTT broker (MQTT_URL, default mqtt://127.0.0.1:1883; "
        "topic anquan/v1/<gateway code>/readings, QoS 1), store them and evaluate alarms; each message is "
        "acknowledged only after it is stored. Run one per broker (a fixed client id keeps the session)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="", help="broker URL (default: MQTT_URL)")
        parser.add_argument(
            "--client-id", default=mqtt.CLIENT_ID, help=f"MQTT client id (default {mqtt.CLIENT_ID})"
        )
        parser.add_argument(
            "--stats-every", type=float, default=60.0, help="seconds between count logs (default 60)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stats_every"] <= 0:
            raise CommandError("--stats-every must be more than 0")
        logging.getLogger("anquan.monitoring").setLevel(logging.INFO)
        broker = mqtt.broker_from_url(options["url"]) if options["url"] else mqtt.configured_broker()
        consumer = mqtt.Consumer(broker, client_id=options["client_id"], stats_every=options["stats_every"])
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: consumer.stop.set())
        self.stderr.write(f"Anquan ingest-mqtt: {broker.host}:{broker.port} as {options['client_id']}")
        consumer.run()
