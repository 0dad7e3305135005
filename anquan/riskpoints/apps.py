from django.apps import AppConfig


class RiskpointsConfig(AppConfig):
    name = "anquan.riskpoints"
    label = "riskpoints"
