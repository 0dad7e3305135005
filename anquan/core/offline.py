"""The service worker (served at /sw.js so that it may control every page): it keeps the app shell (styles,
scripts, icons) and the field pages a phone needs on a weak network (the hazard report form, today's checks,
the home page) in the browser's cache. Submissions made without a network are queued by static/js/field.js,
not here. The cache's name changes whenever one of the shell's files changes, so a new version replaces it.

`submit_once` is the server's side of that queue for a page form: the photos checked, the step run once per the
form's client key, so a resend records nothing twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from .errors import Conflict, NotPermitted, ValidationFailed
from .idempotency import run_once
from .uploads import check_upload

SHELL = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap-icons/bootstrap-icons.min.css",
    "vendor/htmx/htmx.min.js",
    "css/anquan.css",
    "css/field.css",
    "css/print.css",
    "js/anquan.js",
    "js/field.js",
    "favicon.svg",
)
FIELD_PAGES = ("home", "hazards:report", "checks:tasks_today", "grids:patrols_today", "venues:quick")
REFUSALS = (ValidationFailed, NotPermitted, Conflict)  # what a page shows under its fields (core.errors)


@cache
def _version() -> str:
    """A digest of every static file's name, size and time: a changed style or script names a new cache
    (the worker serves static files from its cache first, so a stale one would otherwise stay)."""
    digest = hashlib.sha256()
    for root in settings.STATICFILES_DIRS:
        for path in sorted(Path(root).rglob("*")):
            if path.is_file():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def service_worker(request: HttpRequest) -> HttpResponse:
    body = render_to_string(
        "core/sw.js",
        {
            "version": _version(),
            "shell": json.dumps([static(name) for name in SHELL]),
            "pages": json.dumps([reverse(name) for name in FIELD_PAGES]),
            "static_prefix": static(""),
        },
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
    response["Service-Worker-Allowed"] = "/"
    return response


OUTBOX_HEADER = "X-Aq-Outbox"  # a field form sent by field.js (fetch) rather than by the browser's navigation


class OutboxAnswerMiddleware:
    """A field form is posted by field.js with `fetch`, so that a request the network drops (an error, a timeout,
    while the phone believes it is online) is queued with its client key instead of lost. When such a post is
    answered with a redirect (done), the redirect is handed to the page as `X-Aq-Location` (204) rather than
    followed inside `fetch`: the page then opens it itself and the flash message is shown there, not consumed by
    an invisible request. Every other answer (the form with its errors, a refusal) is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "POST"
            and request.headers.get(OUTBOX_HEADER)
            and response.status_code in (301, 302, 303)
        ):
            answer = HttpResponse(status=204)
            answer["X-Aq-Location"] = response["Location"]
            for cookie in response.cookies.values():  # the session, the messages
                answer.cookies[cookie.key] = cookie
            return answer
        return response


def submit_once(
    request: HttpRequest, scope: str, create: Callable[[], dict[str, Any]], photos: Sequence[Any] = ()
) -> dict[str, Any]:
    """A page form a phone may queue offline and resend (static/js/field.js): each photo checked
    (uploads.check_upload), then `create` run once for the form's client key (`form_key`; idempotency.run_once:
    a resend answers what the first sending did). Returns what `create` returned; a refusal (REFUSALS) is raised
    for the page to show under its fields."""
    for upload in photos:
        check_upload(upload)
    _code, body = run_once(request, scope, request.POST.get("form_key") or None, lambda: (201, create()))
    return body
