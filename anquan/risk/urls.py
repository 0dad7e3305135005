from django.urls import path

from . import card_views, map_views, report_views, site_plan_views, task_views, views

app_name = "risk"

urlpatterns = [
    path("", views.point_list, name="points"),
    path("new/", views.point_new, name="point_new"),
    path("<int:pk>/", views.point_detail, name="point"),
    path("<int:pk>/assess/", views.point_assess, name="point_assess"),
    path("<int:pk>/card.docx", card_views.risk_card, name="point_card"),
    path("<int:pk>/measures/", views.point_measure, name="point_measure"),
    path("<int:pk>/photos/", views.point_photo_upload, name="point_photos"),
    path("photos/<int:pk>/", views.point_photo, name="point_photo"),
    path("installations/", views.installation_list, name="installations"),
    path("installations/new/", views.installation_form, name="installation_new"),
    path("installations/<int:pk>/", views.installation_detail, name="installation"),
    path("installations/<int:pk>/edit/", views.installation_form, name="installation_edit"),
]

urlpatterns += task_views.urlpatterns + map_views.urlpatterns
urlpatterns += site_plan_views.urlpatterns
urlpatterns += report_views.urlpatterns
