from django.apps import AppConfig


class RiskmapConfig(AppConfig):
    name = "anquan.riskmap"
    label = "riskmap"
