"""Pages under /monitoring/ (anquan/urls.py), one block per part of issue #16."""

from django.urls import path

from . import views_alarms, views_board, views_gateways, views_maintenance, views_points, views_points_import

app_name = "monitoring"

urlpatterns = [
    path("alarms/", views_alarms.alarm_list, name="alarms"),
    path("alarms/<int:pk>/", views_alarms.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/transitions/", views_alarms.alarm_transition, name="alarm_transition"),
    path("alarms/<int:pk>/photos/", views_alarms.alarm_photo_upload, name="alarm_photo_upload"),
    path("alarms/<int:pk>/photos/<int:photo>/", views_alarms.alarm_photo, name="alarm_photo"),
    path("alarms/<int:pk>/hazard/", views_alarms.alarm_hazard, name="alarm_hazard"),
    # registering points, gateways and maintenance windows (registry16)
    path("points/", views_points.point_list, name="points"),
    path("points/new/", views_points.point_new, name="point_new"),
    path("points/import/", views_points_import.point_import, name="point_import"),
    path("points/import/template/", views_points_import.import_template, name="point_import_template"),
    path("points/<int:pk>/", views_points.point_detail, name="point"),
    path("points/<int:pk>/edit/", views_points.point_edit, name="point_edit"),
    path("points/<int:pk>/retire/", views_points.point_retire, name="point_retire"),
    path("points/<int:pk>/maintenance/", views_maintenance.maintenance_request, name="maintenance_request"),
    path(
        "installations/<int:pk>/generate/", views_points.installation_generate, name="installation_generate"
    ),
    path("gateways/", views_gateways.gateway_list, name="gateways"),
    path("gateways/issue/", views_gateways.gateway_issue, name="gateway_issue"),
    path("gateways/<int:pk>/revoke/", views_gateways.gateway_revoke, name="gateway_revoke"),
    path("maintenance/", views_maintenance.maintenance_list, name="maintenance"),
    path("maintenance/<int:pk>/step/", views_maintenance.maintenance_step, name="maintenance_step"),
    # the live board, trends and early-warning statistics (board16)
    path("board/", views_board.board_page, name="board"),
    path("board/fragment/", views_board.board_fragment, name="board_fragment"),
    path("points/<int:pk>/trend/", views_board.trend_page, name="trend"),
    path("points/<int:pk>/trend/data/", views_board.trend_data, name="trend_data"),
    path("stats/", views_board.stats_page, name="stats"),
]
