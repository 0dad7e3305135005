"""Pages under /risk/ (anquan/urls.py includes every risk-family app there, so the addresses of the
former risk app stay the same)."""

from django.urls import path

from . import views

app_name = "riskreports"

urlpatterns = [
    path("reports/", views.report_list, name="reports"),
    path("reports/coverage/", views.coverage, name="report_coverage"),
    path("reports/coverage/export.xlsx", views.coverage_export, name="report_coverage_export"),
    path("reports/year/<int:year>/", views.report_prepare, name="report_prepare"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/act/", views.report_act, name="report_act"),
]
