from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "anquan.bulletins"
    label = "bulletins"

    def ready(self):
        from . import hooks

        hooks.register()  # docs/adr/0014-layers-and-hooks.md
