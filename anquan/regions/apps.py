from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "anquan.regions"
    label = "regions"
