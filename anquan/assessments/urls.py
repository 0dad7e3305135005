"""Pages of the assessments under /assessments/ and the flags under /flags/."""

from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("assessments/", views.assessment_list, name="list"),
    path("assessments/schemes/", views.schemes, name="schemes"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/act/", views.assessment_transition, name="act"),
    path("assessments/<int:pk>/manual/", views.manual_entry, name="manual"),
    path("assessments/<int:pk>/scores/<int:score_pk>/", views.score_detail, name="score"),
    path("assessments/<int:pk>/document/", views.evaluation_document, name="document"),
    path("flags/", views.flag_list, name="flags"),
]
