import time

from django.core.management.base import BaseCommand

from anquan.hazards.sweep import sweep


class Command(BaseCommand):
    help = (
        "Run the periodic jobs once, or every --every minutes: hazard deadlines (reminders, overdue, escalation, "
        "progress reports), risk control check tasks (new periods, missed ones), re-assessment reminders and, once "
        "a day, the removal of orphaned uploads (see cleanup_uploads)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N minutes (0: run once)")

    def handle(self, *args, **opts):
        while True:
            result = sweep()
            checks = result.check_tasks
            self.stdout.write(
                f"hazards: reminded {len(result.reminded)}, due today {len(result.due_today)}, "
                f"overdue {len(result.marked_overdue)}, escalated {len(result.escalated)}, "
                f"progress reports due {len(result.progress_due)}; "
                f"check tasks: created {len(checks.created)}, missed {len(checks.missed)} "
                f"(enterprises notified {len(checks.notified.get('enterprises', []))}, "
                f"supervisors of {len(checks.notified.get('supervised', []))}); "
                f"risk points due for re-assessment notified {len(result.reassessment)}; "
                + (
                    f"uploads: {result.uploads.summary()}"
                    if result.uploads is not None
                    else "uploads: already cleaned today"
                )
            )
            for name, reason in result.uploads.failed if result.uploads is not None else []:
                self.stderr.write(f"could not remove orphaned upload {name}: {reason}")
            if not opts["every"]:
                return
            time.sleep(opts["every"] * 60)
