from django.core.management.base import BaseCommand
from django.db import connection, transaction

from anquan.hazards import text_index


class Command(BaseCommand):
    help = (
        "Refill the SQLite index of the ledger's text search from the hazards (derived data, docs/adr/0050); "
        "on PostgreSQL the database keeps its index and there is nothing to do."
    )

    def handle(self, *args, **options):
        if connection.vendor != "sqlite":
            self.stdout.write("PostgreSQL 的索引由数据库维护，无需重建。")
            return
        with transaction.atomic():
            if not text_index.ensure(connection):
                count = text_index.rebuild(connection)
            else:
                count = connection.cursor().execute("SELECT count(*) FROM hazards_hazard").fetchone()[0]
        self.stdout.write(f"已重建隐患全文索引：{count} 条。")
