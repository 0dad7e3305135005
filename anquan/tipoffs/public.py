"""The public side's throttle: django-ninja's per-address rate, counted by the address the login lockout uses
(`accounts.lockout.client_ip`), as on the public draws and enforcement pages (draws/public.py); tipoffs lies below
those apps (ADR 0014), so it declares its own scope of the same throttle. It guards the public pages and API against
floods; the per-phone and per-address limits on submissions are services._throttle's (settings TIPOFF_*)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.throttling import AnonRateThrottle

from anquan.accounts.lockout import client_ip

RATE = "60/min"


class PublicThrottle(AnonRateThrottle):
    scope = "public-tipoffs"

    def __init__(self) -> None:
        super().__init__(RATE)

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


def throttled(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when the address is over the rate, else None."""
    if PublicThrottle().allow_request(request):
        return None
    response = render(request, "tipoffs/public_throttled.html", status=429)
    response["Retry-After"] = "60"
    return response
