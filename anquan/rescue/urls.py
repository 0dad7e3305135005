from django.urls import path

from . import views, views_depots, views_rosters

app_name = "rescue"

urlpatterns = [
    path("teams/", views.team_list, name="teams"),
    path("teams/new/", views.team_new, name="team_new"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("depots/", views_depots.depot_list, name="depots"),
    path("depots/new/", views_depots.depot_new, name="depot_new"),
    path("depots/<int:pk>/", views_depots.depot_detail, name="depot"),
    path("depots/<int:pk>/edit/", views_depots.depot_edit, name="depot_edit"),
    path("depots/<int:pk>/items/", views_depots.item_add, name="item_add"),
    path("depots/<int:pk>/movements/", views_depots.movement_add, name="movement_add"),
    path("stock/flagged/", views_depots.flagged, name="flagged"),
    path("rosters/", views_rosters.rosters, name="rosters"),
    path("search/", views.search, name="search"),
    path("stats/", views.stats_page, name="stats"),
]
