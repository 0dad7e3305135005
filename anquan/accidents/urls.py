from django.urls import path

from . import views

app_name = "accidents"

urlpatterns = [
    path("", views.register, name="register"),
    path("export.xlsx", views.register_export, name="export"),
    path("new/", views.record, name="record"),
    path("categories/", views.categories, name="categories"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
