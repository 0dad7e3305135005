import time

from django.core.management.base import BaseCommand

from anquan.hazards.sweep import sweep


class Command(BaseCommand):
    help = "Run the hazard deadline sweep once, or every --every minutes (the periodic scheduler)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N minutes (0: run once)")

    def handle(self, *args, **opts):
        while True:
            result = sweep()
            self.stdout.write(
                f"reminded {len(result.reminded)}, due today {len(result.due_today)}, "
                f"overdue {len(result.marked_overdue)}, escalated {len(result.escalated)}"
            )
            if not opts["every"]:
                return
            time.sleep(opts["every"] * 60)
