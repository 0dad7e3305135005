from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "anquan.assessments"
    label = "assessments"
    verbose_name = "考核评比"

    def ready(self) -> None:
        from .rules import register_kinds

        register_kinds()  # assessments.scheme: the scoring schemes (rules.py)
