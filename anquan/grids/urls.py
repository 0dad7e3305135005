from django.urls import URLPattern

app_name = "grids"

urlpatterns: list[URLPattern] = []
