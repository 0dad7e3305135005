from django.urls import URLPattern

app_name = "venues"

urlpatterns: list[URLPattern] = []
