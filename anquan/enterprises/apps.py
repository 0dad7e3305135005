from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "anquan.enterprises"
    label = "enterprises"

    def ready(self):
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
