from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anquan.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from . import limits

        limits.connect()
