from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]

user_patterns = [
    path("", views.users, name="users"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
]
