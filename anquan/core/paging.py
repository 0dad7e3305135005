"""The one paginator of the pages (the API's is `contract.page` with `PageParams`: `?limit=&offset=`).

A page view hands its filtered queryset to `paginate` and renders `core/_pager.html` with the result as
`page`: `?page=N` (anything that is not a page number shows the first page, past the end the last one),
the other query parameters kept by the pager's links."""

from django.core.paginator import Page, Paginator

PER_PAGE = 25


def paginate(request, rows, per_page: int = PER_PAGE) -> Page:
    """The page of `rows` (a queryset or list) that `?page=` asks for."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))
