"""Error answers outside a view: a path nothing serves (404) and a crash before or after a view (500).

Under /api/ they are JSON in the API's shape ({"detail": ...}), so a client never has to read an HTML
page; elsewhere they are the site's own Chinese pages (templates/404.html, 500.html).
"""

from django.http import JsonResponse
from django.views import defaults


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse({"detail": "未找到"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": "服务器内部错误，已记录，请稍后重试"}, status=500)
    return defaults.server_error(request)
