from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _seed(sender: AppConfig, **kwargs: Any) -> None:
    from .services import seed_defaults

    seed_defaults()


class RulesConfig(AppConfig):
    name = "anquan.rules"
    label = "rules"
    verbose_name = "Rule versions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # after the last app's migrations (every kind registered by then); idempotent
        post_migrate.connect(_seed, sender=self, dispatch_uid="anquan.rules.seed")
