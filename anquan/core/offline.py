"""The service worker (served at /sw.js so that it may control every page): it keeps the app shell (styles,
scripts, icons) and the field pages a phone needs on a weak network (the hazard report form, today's checks,
the home page) in the browser's cache. Submissions made without a network are queued by static/js/field.js,
not here. The cache's name changes whenever one of the shell's files changes, so a new version replaces it."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

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
FIELD_PAGES = ("home", "hazards:report", "checks:tasks_today")


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
