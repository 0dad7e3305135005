from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", views.my_tokens, name="account_tokens"),
    path("account/tokens/<int:pk>/revoke/", views.my_token_revoke, name="account_token_revoke"),
    path("account/tokens/revoke-all/", views.my_tokens_revoke_all, name="account_tokens_revoke_all"),
    path("account/password/", views.password_change, name="password_change"),
]

user_patterns = [
    path("", views.users, name="users"),
    path("certificates/", views.certificates, name="certificates"),
    path("certificates/new/", views.certificate_form, name="certificate_create"),
    path("certificates/<int:pk>/", views.certificate_form, name="certificate_edit"),
    path("new/", views.user_create, name="user_create"),
    path("<int:pk>/toggle/", views.user_toggle, name="user_toggle"),
    path("<int:pk>/tokens/", views.user_tokens, name="user_tokens"),
    path("<int:pk>/tokens/<int:token_id>/revoke/", views.user_token_revoke, name="user_token_revoke"),
    path("<int:pk>/tokens/revoke-all/", views.user_tokens_revoke_all, name="user_tokens_revoke_all"),
]
