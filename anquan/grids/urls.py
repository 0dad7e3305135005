from django.urls import URLPattern, path

from . import views, views_patrols

app_name = "grids"

urlpatterns: list[URLPattern] = [
    path("grids/", views.grid_list, name="list"),
    path("grids/new/", views.grid_create, name="create"),
    path("grids/<int:pk>/", views.grid_detail, name="detail"),
    path("grids/<int:pk>/edit/", views.grid_edit, name="edit"),
    path("grids/<int:pk>/plan/", views.plan_save, name="plan"),
    path("grids/<int:pk>/allowances/", views.allowances_record, name="allowances"),
    path("grids/<int:pk>/notice/", views.grid_notice, name="notice"),
    path("patrols/today/", views_patrols.patrols_today, name="patrols_today"),
    path("patrols/missed/", views_patrols.missed, name="missed"),
    path("patrols/missed/export/", views_patrols.missed_export, name="missed_export"),
    path("patrols/<int:pk>/", views_patrols.task_detail, name="task"),
    path("patrols/<int:pk>/check-in/", views_patrols.task_check_in, name="check_in"),
    path("patrols/<int:pk>/visits/", views_patrols.task_visit, name="visit"),
]
