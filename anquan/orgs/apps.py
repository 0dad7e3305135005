from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "anquan.orgs"
    label = "orgs"
