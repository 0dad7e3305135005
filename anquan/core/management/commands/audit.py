from django.core.management.base import BaseCommand, CommandError

from anquan.core.audit import verify


class Command(BaseCommand):
    help = (
        "Audit log operations. `anquan audit verify` checks the hash chain and reports the first broken link."
    )

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args, **options):
        result = verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"audit log intact: {result.checked} entries verified"))
            return
        where = f"entry {result.broken_id}" if result.broken_id else "end of log"
        raise CommandError(
            f"audit log broken at {where}: {result.reason} ({result.checked} entries verified before it)"
        )
