from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "anquan.enforcement"
    label = "enforcement"
    verbose_name = "执法统计与公示"
