from django.urls import path

from . import views, views_coverage

app_name = "personnel"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_new, name="new"),
    path("certificates/", views.certificate_list, name="certificates"),
    path("coverage/", views_coverage.coverage_page, name="coverage"),
    path("coverage/export/", views_coverage.coverage_export, name="coverage_export"),
    path("import/", views_coverage.import_page, name="import"),
    path("import/template/", views_coverage.import_template, name="import_template"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/certificates/", views.certificate_new, name="certificate_new"),
    path("<int:pk>/certificates/<int:cert>/review/", views.certificate_review, name="certificate_review"),
    path("<int:pk>/trainings/", views.training_new, name="training_new"),
]
