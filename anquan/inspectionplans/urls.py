"""Pages under /plans/ (anquan/urls.py)."""

from django.urls import path

from . import views

app_name = "inspectionplans"

urlpatterns = [
    path("targets/", views.targets, name="targets"),
    path("targets/export.xlsx", views.targets_export, name="targets_export"),
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/act/", views.plan_act, name="plan_act"),
    path("<int:pk>/inputs/", views.plan_inputs, name="plan_inputs"),
    path("<int:pk>/accept-all/", views.accept_all, name="accept_all"),
    path("<int:pk>/entries/<int:entry_id>/", views.entry_decide, name="entry"),
    path("<int:pk>/coverage/", views.plan_coverage, name="coverage"),
    path("<int:pk>/uncovered.xlsx", views.uncovered_export, name="uncovered_export"),
]
