from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anquan.hazards"
    label = "hazards"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
        post_migrate.connect(ensure_text_index, sender=self, dispatch_uid="anquan.hazards.text_index")
        post_migrate.connect(
            empty_rollup_of_no_hazards, sender=self, dispatch_uid="anquan.hazards.rollup_flush"
        )


def ensure_text_index(sender, using="default", **kwargs):
    """SQLite: put back the text index's triggers if a migration that rebuilt the hazard table dropped them."""
    from django.db import connections

    from .text_index import ensure

    ensure(connections[using])


def empty_rollup_of_no_hazards(sender, using="default", **kwargs):
    """After `flush` (Django sends post_migrate after it too): on SQLite a flush deletes table after table, row by
    row, in no set order, so when it emptied the roll-up before the hazards the roll-up trigger counted the
    hazards' deletion into empty cells and left negative counts (a bulletin then read "尚有-7项隐患"). With no
    hazard left the roll-up is empty. (PostgreSQL's flush truncates, which fires no row or statement trigger.)"""
    from django.db import connections

    from .rollup import HAZARDS, TABLES

    connection = connections[using]
    with connection.cursor() as cursor:
        if HAZARDS not in connection.introspection.table_names(cursor):
            return  # migrated back before the hazards
        cursor.execute(f"SELECT 1 FROM {HAZARDS} LIMIT 1")
        if cursor.fetchone() is None:
            for model in TABLES:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
