from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "anquan.demo"
    label = "demo"
