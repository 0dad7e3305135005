from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anquan.hazards"
    label = "hazards"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
        post_migrate.connect(ensure_text_index, sender=self, dispatch_uid="anquan.hazards.text_index")


def ensure_text_index(sender, using="default", **kwargs):
    """SQLite: put back the text index's triggers if a migration that rebuilt the hazard table dropped them."""
    from django.db import connections

    from .text_index import ensure

    ensure(connections[using])
