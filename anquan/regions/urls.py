from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.browse, name="browse"),
    path("picker/", views.picker, name="picker"),
    path("<str:code>/", views.browse, name="region"),
    path("<str:code>/grids/", views.grid_create, name="grid_create"),
]
