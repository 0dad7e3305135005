from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "anquan.checks"
    label = "checks"
