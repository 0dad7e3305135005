from django.urls import URLPattern

app_name = "campaigns"

urlpatterns: list[URLPattern] = []

from .views_import import urlpatterns as import_urlpatterns  # noqa: E402  (import15)

urlpatterns += import_urlpatterns
from .views_dispatch import DISPATCH_URLS  # noqa: E402  (dispatch15: dispatches and progress reports)

urlpatterns += DISPATCH_URLS
