from django.urls import URLPattern

app_name = "tipoffs"

urlpatterns: list[URLPattern] = []
