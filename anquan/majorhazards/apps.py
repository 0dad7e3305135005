from django.apps import AppConfig


class MajorhazardsConfig(AppConfig):
    name = "anquan.majorhazards"
    label = "majorhazards"

    def ready(self):
        # a grade 1 or 2 installation raises its enterprise's risk level (docs/adr/0008-risk-split.md)
        from anquan.riskpoints import levels

        from .installations import raising_installations

        levels.raised_by(raising_installations)
