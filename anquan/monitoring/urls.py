"""Pages under /monitoring/ (anquan/urls.py). Other parts of issue #16 add their own blocks below this one."""

from django.urls import path

from . import views_gateways, views_maintenance, views_points, views_points_import

app_name = "monitoring"

urlpatterns = [
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
]
