"""Pages under /risk/ (anquan/urls.py includes every risk-family app there, so the addresses of the
former risk app stay the same)."""

from django.urls import path

from . import public, views

app_name = "riskpoints"

urlpatterns = [
    path("", views.point_list, name="points"),
    path("export.xlsx", views.point_export, name="point_export"),
    path("new/", views.point_new, name="point_new"),
    path("<int:pk>/", views.point_detail, name="point"),
    path("<int:pk>/assess/", views.point_assess, name="point_assess"),
    path("<int:pk>/card.docx", views.risk_card, name="point_card"),
    path("s/<str:token>/", public.public_point, name="public_point"),  # the card's QR code; no login
    path("<int:pk>/measures/", views.point_measure, name="point_measure"),
    path("<int:pk>/photos/", views.point_photo_upload, name="point_photos"),
    path("photos/<int:pk>/", views.point_photo, name="point_photo"),
    path("plans/", views.plan_list, name="site_plans"),
    path("plans/<int:pk>/", views.plan_detail, name="site_plan"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="site_plan_delete"),
]
