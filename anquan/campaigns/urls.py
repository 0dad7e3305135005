from django.urls import URLPattern

app_name = "campaigns"

urlpatterns: list[URLPattern] = []

from .views_dispatch import DISPATCH_URLS  # noqa: E402  (dispatch15: dispatches and progress reports)

urlpatterns += DISPATCH_URLS
