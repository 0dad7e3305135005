from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from anquan.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database (PostgreSQL: pg_dump custom format; SQLite: online backup, safe while the app "
        "runs) and the uploaded files (MEDIA_ROOT) into one .tar.gz with a manifest (date, database kind, "
        "app version, migrations, row counts per table). Prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BACKUP_DIR),
            help="folder for the archive (default BACKUP_DIR, var/backups)",
        )

    def handle(self, *args, **opts):
        try:
            result = backup(opts["output"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        rows = sum(manifest["tables"].values())
        media = manifest["media"]
        self.stderr.write(
            f"{manifest['database']}: {len(manifest['tables'])} tables, {rows} rows; "
            f"{media['files']} media files ({media['bytes']} bytes); "
            f"{result.path.stat().st_size} bytes written"
        )
        self.stdout.write(str(result.path))
