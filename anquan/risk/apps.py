from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "anquan.risk"
    label = "risk"
