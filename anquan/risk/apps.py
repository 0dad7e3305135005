from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "anquan.risk"
    label = "risk"

    def ready(self):
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
