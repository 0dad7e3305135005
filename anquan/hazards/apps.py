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
    """After `flush` too (Django sends post_migrate after it): rollup.empty_if_no_hazards."""
    from django.db import connections

    from .rollup import empty_if_no_hazards

    empty_if_no_hazards(connections[using])
