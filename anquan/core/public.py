"""Pages and API operations for anyone, without an account (一公开 of the random draws, 行政执法公示, and the
public pages of issue #14): one throttle per address and one way to refuse, so each public page is a few lines.

- `PublicThrottle(scope)`: django-ninja's per-address throttle (`RATE`), counted per `scope` (each public page
  or API its own budget), by the project's client address — the function `AXES_CLIENT_IP_CALLABLE` names
  (`accounts.lockout.client_ip`: X-Forwarded-For only through ANQUAN_PROXY_COUNT proxies, so a client cannot
  spread its requests over forged addresses). It is read from the setting, as the login lockout reads it, so
  this layer imports nothing above it. On an API operation: `throttle=[PublicThrottle("…")]`.
- `refused(request, throttle)`: on a page, the 429 page with Retry-After when the address is over its budget.
- `public(response)`: marks a public page not to be indexed by search engines.

The `?region=` of a public page is read by `regions.inputs.public_region` (404 for an unknown code) and
filtered by `regions.inputs.subtree`."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from ninja.throttling import AnonRateThrottle

RATE = "60/min"  # requests per address per minute on each public page and API (django-ninja's throttle)
RETRY_AFTER = "60"  # seconds, on the 429 page


@cache
def _client_ip() -> Callable[[HttpRequest], str | None]:
    return import_string(settings.AXES_CLIENT_IP_CALLABLE)


class PublicThrottle(AnonRateThrottle):
    """Per address, `RATE`, counted apart for each `scope` (the cache key names it)."""

    def __init__(self, scope: str, rate: str = RATE) -> None:
        self.scope = scope
        super().__init__(rate)

    def get_ident(self, request: HttpRequest) -> str | None:
        return _client_ip()(request)


def refused(request: HttpRequest, throttle: PublicThrottle) -> HttpResponse | None:
    """The 429 page (in Chinese, Retry-After) when the address is over `throttle`'s budget; None otherwise."""
    if throttle.allow_request(request):
        return None
    response = render(request, "core/public_throttled.html", status=429)
    response["Retry-After"] = RETRY_AFTER
    return response


def public(response: HttpResponse) -> HttpResponse:
    """A public page: not indexed (it lists names of enterprises and officers)."""
    response["X-Robots-Tag"] = "noindex"
    return response
