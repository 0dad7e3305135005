from django.apps import AppConfig


class RiskreportsConfig(AppConfig):
    name = "anquan.riskreports"
    label = "riskreports"
