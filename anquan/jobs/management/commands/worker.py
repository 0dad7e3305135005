"""`anquan worker`: the background worker (queued jobs, the periodic sweep, recovery of interrupted jobs)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anquan.jobs import worker


class Command(BaseCommand):
    help = (
        "Run the background worker: bulletins, large exports and imports queued from the pages and the API, "
        "the periodic sweep every SWEEP_EVERY_MINUTES (default 5) and the recovery of jobs whose worker died. "
        "`anquan serve` starts one itself unless ANQUAN_EMBEDDED_WORKER=false; run one per machine that serves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sweep-every",
            type=float,
            default=None,
            help="minutes between sweeps (default SWEEP_EVERY_MINUTES; 0: no sweep from this worker)",
        )
        parser.add_argument(
            "--no-sweep", action="store_true", help="never sweep (another worker or cron does)"
        )
        parser.add_argument(
            "--batch", action="store_true", help="run the jobs waiting now, then exit (no sweep)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between looks at an empty queue (default 1)"
        )

    def handle(self, *args, **options):
        if options["batch"]:
            worker.queue_worker(batch=True, interval=0).run()
            return
        every = settings.SWEEP_EVERY_MINUTES if options["sweep_every"] is None else options["sweep_every"]
        if options["no_sweep"]:
            every = 0
        if every < 0 or options["interval"] <= 0:
            raise CommandError("--sweep-every must be 0 or more, --interval more than 0")
        self.stderr.write(
            f"Anquan worker: queue every {options['interval']} s, sweep every {every or '—'} min"
        )
        worker.run(sweep_every=every, interval=options["interval"])
