from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from anquan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `anquan backup` into the configured database and MEDIA_ROOT, then compare "
        "every table's row count with the archive's manifest. Refuses a database that has tables (or a "
        "MEDIA_ROOT with files) unless --force, which replaces them. Stop the application first."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="replace the tables and files already there")

    def handle(self, *args, **opts):
        if not opts["archive"].is_file():
            raise CommandError(f"{opts['archive']}: no such file")
        try:
            result = restore(opts["archive"], force=opts["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        for table, (expected, found) in sorted(result.mismatches.items()):
            self.stderr.write(f"{table}: {expected} rows in the backup, {found} restored")
        if result.mismatches:
            raise CommandError(f"{len(result.mismatches)} tables differ from the backup's manifest")
        self.stdout.write(
            self.style.SUCCESS(
                f"restored the backup of {manifest['created_at']} (Anquan {manifest['app_version']}): "
                f"{len(result.counts)} tables, {sum(result.counts.values())} rows, as in its manifest; "
                f"{result.media_files} media files. Next: anquan migrate, anquan audit verify."
            )
        )
