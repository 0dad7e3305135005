"""Pages under /risk/ (anquan/urls.py includes every risk-family app there, so the addresses of the
former risk app stay the same)."""

from django.urls import path

from . import views

app_name = "checks"

urlpatterns = [
    path("tasks/", views.tasks_today, name="tasks_today"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/all-normal/", views.tasks_all_normal, name="tasks_all_normal"),
    path("tasks/missed/", views.tasks_missed, name="tasks_missed"),
    path("<int:pk>/schedules/", views.point_schedules, name="point_schedules"),
    path("schedules/<int:pk>/edit/", views.schedule_edit, name="schedule_edit"),
    path(
        "schedules/<int:pk>/deactivate/",
        views.schedule_switch,
        {"action": "deactivate"},
        name="schedule_deactivate",
    ),
    path(
        "schedules/<int:pk>/reactivate/",
        views.schedule_switch,
        {"action": "reactivate"},
        name="schedule_reactivate",
    ),
]
