from django.apps import AppConfig


class OverviewConfig(AppConfig):
    """Cross-domain pages: the home overview (enterprises, hazards, risk of the user's area) and the site search."""

    name = "anquan.overview"
    label = "overview"
