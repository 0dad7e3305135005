from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "anquan.accounts"
    label = "accounts"
