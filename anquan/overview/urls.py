from django.urls import path

from . import search

app_name = "overview"

urlpatterns = [
    path("search/", search.search, name="search"),
]
