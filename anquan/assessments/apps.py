from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "anquan.assessments"
    label = "assessments"
    verbose_name = "考核评比"
