from django.urls import URLPattern

app_name = "enforcement"

urlpatterns: list[URLPattern] = []

# loop13: the three-step loop's dashboard
from django.urls import path  # noqa: E402

from . import views_loops  # noqa: E402

urlpatterns.append(path("enforcement/loops/", views_loops.dashboard, name="loops"))
