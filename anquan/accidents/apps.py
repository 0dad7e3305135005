from django.apps import AppConfig


class AccidentsConfig(AppConfig):
    name = "anquan.accidents"
    label = "accidents"
