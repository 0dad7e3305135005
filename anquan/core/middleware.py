from django.core.exceptions import PermissionDenied

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
