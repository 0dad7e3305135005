from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download.<str:fmt>", views.download, name="download"),
    path("<int:pk>/void/", views.void, name="void"),
]
