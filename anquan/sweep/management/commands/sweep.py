import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from anquan.sweep.services import sweep


class Command(BaseCommand):
    help = (
        "Run the periodic jobs once, or every --every minutes: hazard deadlines (reminders, overdue, escalation, "
        "progress reports), risk control check tasks (new periods, missed ones), re-assessment reminders and, once "
        "a day, the removal of orphaned uploads (see cleanup_uploads). Each item is its own short transaction; "
        "one that fails is reported on standard error and the rest still run (exit status 1 for a single run)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=int, default=0, help="repeat every N minutes (0: run once)")

    def handle(self, *args: Any, **opts: Any) -> None:
        while True:
            result = sweep()
            self.stdout.write(result.summary())
            for name, reason in result.uploads.failed if result.uploads is not None else []:
                self.stderr.write(f"could not remove orphaned upload {name}: {reason}")
            for failure in result.failed:
                self.stderr.write(f"sweep: {failure.job} {failure.key or ''} failed: {failure.error}")
            if not opts["every"]:
                if result.failed:
                    raise CommandError(f"{len(result.failed)} sweep items failed (see above)")
                return
            time.sleep(opts["every"] * 60)
