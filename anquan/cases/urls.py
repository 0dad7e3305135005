from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/act/", views.case_act, name="act"),
    path("<int:pk>/refer/", views.case_refer, name="refer"),
    path("referrals/<int:pk>/act/", views.referral_act, name="referral_act"),
]
