import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.http import HttpResponse
from django.template.loader import render_to_string

from .errors import NotPermitted
from .textclean import strip_for_export


class NotPermittedMiddleware:
    """Service-layer NotPermitted becomes the usual 403 page in the UI."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotPermitted):
            request._anquan_rollback = (
                True  # the 403 page ends the request: WriteTransactionMiddleware rolls back
            )
            raise PermissionDenied from exception
        return None


def _cleaned(querydict):
    """A copy of `querydict` with every value cleaned (core.textclean), or None when all are clean."""
    if all(value.isprintable() for values in querydict.lists() for value in values[1]):
        return None
    copy = querydict.copy()
    for key, values in querydict.lists():
        copy.setlist(key, [strip_for_export(v) for v in values])  # forms cannot carry surrogates
    copy._mutable = False
    return copy


class CleanInputMiddleware:
    """Query strings and form fields with control characters normalised before any view reads them (a
    vertical tab pasted from Word becomes a line break; NUL is dropped), for pages and API alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cleaned = _cleaned(request.GET)
        if cleaned is not None:
            request.GET = cleaned
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            cleaned = _cleaned(request.POST)
            if cleaned is not None:
                request.POST = cleaned
        return self.get_response(request)


log = logging.getLogger("anquan.transactions")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
RETRY_AFTER_SECONDS = 2


def is_contention(exc: BaseException) -> bool:
    """A database that is busy rather than broken: SQLite's write lock held past busy_timeout, a PostgreSQL
    serialisation failure, deadlock or lock_timeout, or no pooled connection free within DB_POOL_TIMEOUT."""
    text = str(exc)
    return isinstance(exc, OperationalError) and any(
        marker in text
        for marker in (
            "database is locked",
            "could not serialize",
            "deadlock",
            "lock timeout",
            "couldn't get a connection",
        )
    )


def busy_response(request) -> HttpResponse:
    """503 with Retry-After: JSON under /api/, the standalone page elsewhere (rendered without the database)."""
    if request.path.startswith("/api/"):
        response = HttpResponse(
            '{"detail": "系统繁忙，请稍后重试"}', status=503, content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class WriteTransactionMiddleware:
    """DESIGN rule 5 without making reads wait for writes.

    Each unsafe request (POST, PUT, PATCH, DELETE) runs in one `transaction.atomic()` — the view, the
    session save and django-axes' records together — and is rolled back when the view raises or the answer
    is a 5xx: nothing half-written. GET and HEAD run in autocommit: they never hold a transaction, so on
    SQLite (WAL) they read while a write is in progress and never take the write lock; an incidental write
    of theirs (a token's last use, a session, a lockout record) is its own short transaction.

    Lock contention (SQLite's lock held past busy_timeout, PostgreSQL serialisation failures, an empty
    pool) answers 503 with Retry-After, on pages as on the API, instead of a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            if request.method not in UNSAFE_METHODS:
                return self.get_response(request)
            with transaction.atomic():
                response = self.get_response(request)
                if response.status_code >= 500 or getattr(request, "_anquan_rollback", False):
                    transaction.set_rollback(True)
                return response
        except OperationalError as exc:  # BEGIN IMMEDIATE or COMMIT found the database busy
            if not is_contention(exc):
                raise
            log.warning("database busy on %s %s: %s", request.method, request.path, exc)
            return busy_response(request)

    def process_exception(self, request, exception):
        """A page view's exception (the API answers its own): contention → 503, a unique key taken
        concurrently → 409; either way the request's transaction is rolled back."""
        request._anquan_rollback = True
        if request.path.startswith("/api/"):
            return None
        if is_contention(exception):
            log.warning("database busy on %s %s: %s", request.method, request.path, exception)
            return busy_response(request)
        if isinstance(exception, IntegrityError):
            log.warning("unique key race on %s %s: %s", request.method, request.path, exception)
            return HttpResponse(render_to_string("409.html"), status=409)
        return None
