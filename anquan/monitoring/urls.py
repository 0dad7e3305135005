"""The monitoring pages, mounted at /monitoring/ (anquan/urls.py). The alarm pages: views_alarms.py."""

from django.urls import path

from . import views_alarms

app_name = "monitoring"

urlpatterns = [
    path("alarms/", views_alarms.alarm_list, name="alarms"),
    path("alarms/<int:pk>/", views_alarms.alarm_detail, name="alarm"),
    path("alarms/<int:pk>/transitions/", views_alarms.alarm_transition, name="alarm_transition"),
    path("alarms/<int:pk>/photos/", views_alarms.alarm_photo_upload, name="alarm_photo_upload"),
    path("alarms/<int:pk>/photos/<int:photo>/", views_alarms.alarm_photo, name="alarm_photo"),
    path("alarms/<int:pk>/hazard/", views_alarms.alarm_hazard, name="alarm_hazard"),
]
