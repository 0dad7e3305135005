from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate_view, name="generate"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/download/", views.download, name="download"),
]
