from django.apps import AppConfig


class TipoffsConfig(AppConfig):
    name = "anquan.tipoffs"
    label = "tipoffs"
    verbose_name = "举报"
