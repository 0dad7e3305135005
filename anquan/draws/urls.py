"""Pages of the random draws under /draws/, and the public page /public/random-draws/ (no login)."""

from django.urls import path

from . import public, views

app_name = "draws"

urlpatterns = [
    path("draws/", views.draw_list, name="list"),
    path("draws/new/", views.draw_create, name="create"),
    path("draws/links/", views.link_list, name="links"),
    path("draws/<int:pk>/", views.draw_detail, name="detail"),
    path("draws/<int:pk>/act/", views.draw_act, name="act"),
    path("draws/<int:pk>/rerun/", views.draw_rerun, name="rerun"),
    path("draws/<int:pk>/picks/<int:position>/result/", views.pick_result, name="result"),
    path("public/random-draws/", public.public_draws, name="public"),
]
