from django.apps import AppConfig


def open_major_hazards():
    """The open major hazards (重大事故隐患) of enterprises: each raises its enterprise's risk level to at least
    orange (anquan.riskpoints.levels.RULE_TEXT)."""
    from .choices import OPEN_STATUSES, Level
    from .models import Hazard

    return Hazard.objects.filter(level=Level.MAJOR, status__in=OPEN_STATUSES, enterprise__isnull=False)


class HazardsConfig(AppConfig):
    name = "anquan.hazards"
    label = "hazards"

    def ready(self):
        # an open major hazard raises its enterprise's risk level (docs/adr/0008-risk-split.md)
        from anquan.riskpoints import levels

        levels.raised_by(open_major_hazards)
