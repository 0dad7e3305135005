from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from anquan.core import orphans


class Command(BaseCommand):
    help = (
        "Remove files under MEDIA_ROOT that no record refers to (uploads whose transaction was rolled back) "
        "once they are older than ORPHAN_UPLOAD_GRACE_HOURS; each removal is audited. The sweep runs this daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list what would be removed")

    def handle(self, *args, **opts):
        result = orphans.cleanup(dry_run=opts["dry_run"])
        verb = "would remove" if result.dry_run else "removed"
        for orphan in result.removed:
            modified = timezone.localtime(orphan.modified)
            self.stdout.write(
                f"{verb} {orphan.name} ({orphan.size} bytes, modified {modified:%Y-%m-%d %H:%M})"
            )
        for name, reason in result.failed:
            self.stderr.write(f"could not remove {name}: {reason}")
        self.stdout.write(result.summary() + (" (dry run: nothing removed)" if result.dry_run else ""))
        if result.failed:
            raise CommandError(f"{len(result.failed)} orphaned uploads could not be removed")
