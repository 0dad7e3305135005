from django.urls import path

from . import views, views_public

app_name = "tipoffs"

urlpatterns = [
    # the public (no account)
    path("public/tip-offs/", views_public.lookup, name="public_lookup"),
    path("public/tip-offs/new/", views_public.new, name="public_new"),
    path("public/tip-offs/<str:code>/", views_public.status, name="public_status"),
    # the offices
    path("tip-offs/", views.tipoff_list, name="list"),
    path("tip-offs/stats/", views.tipoff_stats, name="stats"),
    path("tip-offs/stats/export/", views.tipoff_stats_export, name="stats_export"),
    path("tip-offs/<int:pk>/", views.tipoff_detail, name="detail"),
    path("tip-offs/<int:pk>/transitions/", views.tipoff_transition, name="transition"),
    path("tip-offs/<int:pk>/notes/", views.tipoff_note, name="note"),
    path("tip-offs/<int:pk>/identity/", views.tipoff_identity, name="identity"),
    path("tip-offs/<int:pk>/photos/<int:photo>/", views.tipoff_photo, name="photo"),
]
