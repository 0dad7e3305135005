from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "anquan.bulletins"
    label = "bulletins"
