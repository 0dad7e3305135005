from django.core.exceptions import PermissionDenied

from .errors import NotPermitted


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
