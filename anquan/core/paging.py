"""The one paginator of the pages (the API's is `contract.page` with `PageParams`: `?limit=&offset=`), and the
memory of a list's filters.

A page view hands its filtered queryset to `paginate` and renders `core/_pager.html` with the result as
`page`: `?page=N` (anything that is not a page number shows the first page, past the end the last one) and
`?size=` (one of `SIZES`; the view's own default otherwise), the other query parameters kept by the pager's
links and by its "go to page" form.

`remember_filters` on a list view keeps the list's query (filters, order, page, size) in the session: coming
back to the list from another page of the site without a query (the menu, a "back to the ledger" link: the
browser names that page as the Referer) shows it as it was left; the list's own links (a reset link, the
pager) and an address typed in are followed as they are."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

PER_PAGE = 25
SIZES = (10, 25, 50, 100)
OWN = ("page", "size")  # the pager's parameters; the rest are the list's


def page_size(request: HttpRequest, default: int) -> int:
    try:
        size = int(request.GET.get("size", ""))
    except ValueError:
        return default
    return size if size in SIZES else default


def paginate(request: HttpRequest, rows: Any, per_page: int = PER_PAGE) -> Page:
    """The page of `rows` (a queryset or list) that `?page=` asks for, `?size=` rows a page."""
    size = page_size(request, per_page)
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    keep = [(k, v) for k, values in request.GET.lists() if k not in OWN for v in values]
    page.keep = keep  # type: ignore[attr-defined]  # the list's parameters, for the pager's form
    page.size = size  # type: ignore[attr-defined]
    page.sizes = sorted({*SIZES, per_page})  # type: ignore[attr-defined]
    sized = [*keep, ("size", size)] if size != per_page else keep
    page.query = urlencode(sized)  # type: ignore[attr-defined]  # the links' query without the page number
    return page


def _key(request: HttpRequest) -> str:
    match = request.resolver_match
    return f"list-query:{match.view_name if match else request.path}"


def remember_filters(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the list's query in the session and bring it back when the list is opened bare from elsewhere."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "GET" and hasattr(request, "session"):
            key = _key(request)
            query = request.GET.urlencode()
            referer = urlsplit(request.headers.get("Referer", ""))
            elsewhere = referer.netloc == request.get_host() and referer.path != request.path
            if not query and elsewhere and request.session.get(key):
                return redirect(f"{request.path}?{request.session[key]}")
            if request.session.get(key, "") != query:
                request.session[key] = query
        return view(request, *args, **kwargs)

    return wrapper
