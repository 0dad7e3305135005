from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("duties/", views.rules, name="rules"),
    path("duties/set/", views.rule_set, name="rule_set"),
]
