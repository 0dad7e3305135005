"""Login lockout on top of django-axes (issue #9 item 1).

Two limits within the cool-off window (`AXES_COOLOFF_HOURS`):
- `AXES_FAILURE_LIMIT` failures of one username from one address lock that pair (axes' own rule);
- `AXES_IP_FAILURE_LIMIT` failures from one address, whatever the usernames, lock the address (password
  spraying: a few guesses at many accounts). It is higher, since an office behind one NAT shares an address.

axes compares one failure count with one limit, so `LockoutHandler.get_failures` answers the pair's count,
raised to the pair limit when the address is over its own. A successful login clears only its own pair's
failures (axes' reset), never the address's: one valid account does not wipe a spraying record.

The answer to a locked-out attempt is 429 with `Retry-After`: JSON `{"detail"}` on the API, a Chinese page
elsewhere (`lockout_response`, axes' `AXES_LOCKOUT_CALLABLE`).
"""

from __future__ import annotations

import math

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or with `ANQUAN_PROXY_COUNT` reverse proxies in front, the address
    the outermost of them saw (X-Forwarded-For read from the right, so a client cannot forge it)."""
    proxies = settings.ANQUAN_PROXY_COUNT
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR")


def address_failures(request) -> int:
    """Failed logins from the request's address within the cool-off window, over all usernames."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def lockout_seconds(request) -> int:
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds())) if cool_off else 3600


def lockout_message(seconds: int) -> str:
    return f"登录失败次数过多，已暂时锁定，请{math.ceil(seconds / 60)}分钟后再试，或联系管理员"


def lockout_response(request, original_response=None, credentials=None):
    """429 with Retry-After: JSON on the API, the Chinese lockout page for the login page."""
    seconds = lockout_seconds(request)
    response: HttpResponse
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": lockout_message(seconds)}, status=429)
    else:
        response = render(request, "accounts/locked.html", {"minutes": math.ceil(seconds / 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
