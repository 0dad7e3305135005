from django.apps import AppConfig


class MajorhazardsConfig(AppConfig):
    name = "anquan.majorhazards"
    label = "majorhazards"

    def ready(self) -> None:
        # a grade 1 or 2 installation raises its enterprise's risk level (docs/adr/0014-layers-and-hooks.md)
        from anquan.riskpoints import levels

        from .services import raising_installations

        levels.raising.register(raising_installations)
