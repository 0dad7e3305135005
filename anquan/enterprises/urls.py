from django.urls import path

from . import views

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("pick/", views.enterprise_pick, name="pick"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template.xlsx", views.enterprise_template, name="template"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/transitions/", views.enterprise_transition, name="transition"),
]
