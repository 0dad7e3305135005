from django.urls import path

from . import views

app_name = "bulletins"

urlpatterns = [
    path("", views.index, name="index"),
    path("generate/", views.generate_view, name="generate"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("last-year/", views.prior_totals_page, name="prior_totals"),
    path("<int:pk>/download/", views.download, name="download"),
]
