from django.apps import AppConfig


class HazardsConfig(AppConfig):
    name = "anquan.hazards"
    label = "hazards"
