from django.urls import path

app_name = "bulletins"

urlpatterns: list = []
