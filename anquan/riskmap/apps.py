from django.apps import AppConfig


class RiskmapConfig(AppConfig):
    name = "anquan.riskmap"
    label = "riskmap"

    def ready(self) -> None:
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
