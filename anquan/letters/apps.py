from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "anquan.letters"
    label = "letters"
    verbose_name = "提示督办函"
