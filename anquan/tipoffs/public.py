"""The public side's throttle: the platform's per-address throttle (`core.public`), counted under its own scope for
the tip-off pages and API. It guards them against floods; the per-phone and per-address limits on submissions are
services._throttle's (settings TIPOFF_*)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from anquan.core.public import PublicThrottle, refused

THROTTLE = PublicThrottle("public-tipoffs")


def throttled(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when the address is over the rate, else None."""
    return refused(request, THROTTLE)
