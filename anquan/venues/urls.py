from django.urls import URLPattern, path

from . import public, views

app_name = "venues"

urlpatterns: list[URLPattern] = [
    path("venues/", views.venue_list, name="list"),
    path("venues/new/", views.venue_create, name="create"),
    path("venues/quick/", views.venue_quick, name="quick"),
    path("venues/export/", views.venue_export, name="export"),
    path("venues/labels.pdf", views.qr_sheet, name="sheet"),
    path("venues/import/", views.venue_import, name="import"),
    path("venues/import/template/", views.import_template, name="template"),
    path("venues/<int:pk>/", views.venue_detail, name="detail"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="edit"),
    path("venues/<int:pk>/owner-copy/", views.owner_copy, name="owner_copy"),
    path("venues/<int:pk>/pin/", views.pin_reset, name="pin_reset"),
    path("venues/<int:pk>/qr.<str:fmt>", views.qr_image, name="qr"),
    path("v/<str:code>/", public.public_venue, name="public"),
]
