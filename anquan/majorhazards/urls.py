"""Pages under /risk/ (anquan/urls.py includes every risk-family app there, so the addresses of the
former risk app stay the same)."""

from django.urls import path

from . import views

app_name = "majorhazards"

urlpatterns = [
    path("installations/", views.installation_list, name="installations"),
    path("installations/new/", views.installation_form, name="installation_new"),
    path("installations/<int:pk>/", views.installation_detail, name="installation"),
    path("installations/<int:pk>/edit/", views.installation_form, name="installation_edit"),
]
