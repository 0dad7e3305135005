from django.urls import URLPattern

app_name = "enforcement"

urlpatterns: list[URLPattern] = []

# stats13: the enforcement statistics and the public 行政执法公示 page
from django.urls import path  # noqa: E402

from . import views_public, views_stats  # noqa: E402

urlpatterns += [
    path("enforcement/stats/", views_stats.stats_page, name="stats"),
    path("enforcement/stats/export/", views_stats.stats_export, name="stats_export"),
    path("public/enforcement/", views_public.public_decisions, name="public"),
]
