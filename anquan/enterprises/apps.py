from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "anquan.enterprises"
    label = "enterprises"
