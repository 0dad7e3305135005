from django.urls import URLPattern, path

from . import views_loops, views_public, views_stats

app_name = "enforcement"

urlpatterns: list[URLPattern] = [
    path("enforcement/loops/", views_loops.dashboard, name="loops"),  # the three-step loop's dashboard
    path("enforcement/stats/", views_stats.stats_page, name="stats"),
    path("enforcement/stats/export/", views_stats.stats_export, name="stats_export"),
    path("public/enforcement/", views_public.public_decisions, name="public"),  # 行政执法公示, no login
]
