from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "anquan.standards"
    label = "standards"
