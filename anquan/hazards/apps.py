from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anquan.hazards"
    label = "hazards"

    def ready(self):
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
