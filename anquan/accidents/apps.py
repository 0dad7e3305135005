from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "anquan.accidents"
    label = "accidents"

    def ready(self):
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
