from django.urls import path

from . import views, views_drills

app_name = "emergency"

urlpatterns = [
    path("emergency/plans/", views.plan_list, name="plans"),
    path("emergency/plans/new/", views.plan_new, name="plan_new"),
    path("emergency/plans/<int:pk>/", views.plan_page, name="plan"),
    path("emergency/plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("emergency/plans/<int:pk>/revise/", views.plan_revise, name="plan_revise"),
    path("emergency/plans/<int:pk>/transitions/", views.plan_transition, name="transition"),
    path("emergency/plans/<int:pk>/drills/new/", views_drills.drill_new, name="drill_new"),
    path("emergency/documents/<int:pk>/", views.document, name="document"),
    path("emergency/drills/", views_drills.drill_list, name="drills"),
    path("emergency/drills/<int:pk>/", views_drills.drill_detail, name="drill"),
    path("emergency/drill-files/<int:pk>/", views_drills.drill_file, name="drill_file"),
    path("emergency/overview/", views_drills.overdue, name="overdue"),
    path("emergency/overview/export/", views_drills.export, name="export"),
]
