"""Pages under /risk/ (anquan/urls.py includes every risk-family app there, so the addresses of the
former risk app stay the same)."""

from django.urls import path

from . import views

app_name = "riskmap"

urlpatterns = [
    path("map/", views.risk_map, name="map"),
    path("map/export.xlsx", views.risk_map_export, name="map_export"),
    path("map/rule/", views.set_map_rule, name="map_rule"),
]
