"""Type of a request behind login (pages with `login_required`, API operations with an auth class): its user is
an `accounts.User`, never anonymous. For annotations only (django-stubs types `request.user` as a union)."""

from django.http import HttpRequest

from .models import User


class AuthedRequest(HttpRequest):
    user: User
