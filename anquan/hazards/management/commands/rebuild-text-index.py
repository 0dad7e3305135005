from django.core.management.base import BaseCommand
from django.db import connection, transaction

from anquan.hazards import text_index
from anquan.hazards.models import Hazard


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
            if not text_index.ensure(connection):  # (it refills the table when it had to create it)
                text_index.rebuild(connection)
        count = Hazard.objects.count()
        self.stdout.write(f"已重建隐患全文索引：{count} 条。")
