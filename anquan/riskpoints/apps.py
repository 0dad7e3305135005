from django.apps import AppConfig


class RiskpointsConfig(AppConfig):
    name = "anquan.riskpoints"
    label = "riskpoints"

    def ready(self) -> None:
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
