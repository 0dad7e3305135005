from django.urls import URLPattern

app_name = "campaigns"

urlpatterns: list[URLPattern] = []

from .views_import import urlpatterns as import_urlpatterns  # noqa: E402  (import15)

urlpatterns += import_urlpatterns
