"""Security headers that Django 5.2 has no setting for: Content-Security-Policy and Permissions-Policy.

The policies themselves are in settings (CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY) as directive → sources
mappings; Django's SecurityMiddleware sets the others (HSTS, nosniff, Referrer-Policy, COOP) and
XFrameOptionsMiddleware X-Frame-Options for browsers without frame-ancestors.
"""

from django.conf import settings


def content_security_policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


def permissions_policy(features: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}=({' '.join(allow)})" for name, allow in features.items())


class SecurityHeadersMiddleware:
    """Adds the two headers to every response (pages, API, static files, errors) unless a view set its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": content_security_policy(settings.CONTENT_SECURITY_POLICY),
            "Permissions-Policy": permissions_policy(settings.PERMISSIONS_POLICY),
        }

    def __call__(self, request):
        response = self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response.headers:
                response.headers[name] = value
        return response
