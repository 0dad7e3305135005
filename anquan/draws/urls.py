"""Pages of the random draws under /draws/, and the public page /public/random-draws/ (no login)."""

from django.urls import path

from . import public, views, views_tasks

app_name = "draws"

urlpatterns = [
    path("draws/", views.draw_list, name="list"),
    path("draws/new/", views.draw_create, name="create"),
    path("draws/links/", views.link_list, name="links"),
    path("draws/tasks/", views_tasks.my_tasks, name="tasks"),
    path("draws/<int:pk>/picks/<int:position>/start/", views_tasks.start, name="task_start"),
    path("draws/<int:pk>/picks/<int:position>/task-result/", views_tasks.result, name="task_result"),
    path("draws/<int:pk>/", views.draw_detail, name="detail"),
    path("draws/<int:pk>/act/", views.draw_act, name="act"),
    path("draws/<int:pk>/rerun/", views.draw_rerun, name="rerun"),
    path("draws/<int:pk>/picks/<int:position>/result/", views.pick_result, name="result"),
    path("public/random-draws/", public.public_draws, name="public"),
]
