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

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property

from . import keyset
from .errors import ValidationFailed

PER_PAGE = 25
SIZES = (10, 25, 50, 100)
OWN = ("page", "size", "after", "before")  # the pager's parameters; the rest are the list's


def page_size(request: HttpRequest, default: int) -> int:
    try:
        size = int(request.GET.get("size", ""))
    except ValueError:
        return default
    return size if size in SIZES else default


def count_up_to(rows: QuerySet, cap: int, *, sample: list[int] | None = None) -> QuerySet:
    """`rows`, counted by the pager and the API at most up to `cap` instead of `settings.LIST_COUNT_CAP` (a
    text search: docs/adr/0054). The cap rides on the query, so the filters and order added later keep it.
    `sample`: ids already known to be among `rows` (a search's first matches): when more than `cap` of them pass
    the filters added later, the count stops there without reading the rest."""
    rows = rows.all()
    rows.query.count_cap = cap  # type: ignore[attr-defined]  # Query.clone copies its __dict__
    rows.query.count_sample = sample  # type: ignore[attr-defined]
    return rows


def capped_count(rows: Any, cap: int | None = None) -> tuple[int, bool]:
    """(the number of rows, whether it is exact): a queryset is counted up to `cap` (+1 to know it goes on),
    by default its own (`count_up_to`) or the settings' `LIST_COUNT_CAP`. With a sample of its rows
    (`count_up_to`), the sample is counted first: a common search term's count in a city (消防, 1,000,000 hazards)
    is 1,000+ from its first 2,000 matches' ids (a few ms) rather than a walk of the city's rows (90 ms)."""
    if cap is None:
        cap = getattr(getattr(rows, "query", None), "count_cap", settings.LIST_COUNT_CAP)
    if not isinstance(rows, QuerySet):
        return len(rows), True
    sample = getattr(rows.query, "count_sample", None)
    if sample and len(sample) > cap:
        if rows.filter(pk__in=sample).values("pk").order_by()[: cap + 1].count() > cap:
            return cap, False
    n = rows.values("pk").order_by()[: cap + 1].count()
    return min(n, cap), n <= cap


def page_rows(rows: Any, start: int, stop: int) -> list:
    """Rows `start`..`stop` of `rows`, in two steps when it is a queryset with joined tables: the page's ids
    first, from its own table with its filters and order (the order's index, the search's semi-join), then
    those rows with their joins, annotations and prefetches. In one query PostgreSQL's planner may join the
    whole table to the related ones before it filters (the ledger's search at 1,000,000 hazards: 3.1 s for 50
    rows; docs/adr/0054-page-ids-first.md). The ids come from `rows` itself, so its scope applies to both."""
    if not isinstance(rows, QuerySet) or not rows.query.select_related:
        return list(rows[start:stop])
    ids = list(rows.select_related(None).values_list("pk", flat=True)[start:stop])
    if not ids:
        return []
    if rows.query.annotations:  # annotations may rest on the filters' joins: keep the whole query
        loaded = rows.filter(pk__in=ids)
    else:
        loaded = rows.model._default_manager.filter(pk__in=ids)
        loaded.query.select_related = rows.query.select_related
        loaded.query.deferred_loading = rows.query.deferred_loading
        loaded = loaded.prefetch_related(*getattr(rows, "_prefetch_related_lookups", ()))
    by_id = {row.pk: row for row in loaded}
    return [by_id[pk] for pk in ids if pk in by_id]


class CappedPaginator(Paginator):
    """Django's paginator with a count that stops at the cap: `exact` says whether it did not; a page's rows
    are read by `page_rows`."""

    @cached_property
    def count(self) -> int:
        n, self.exact = capped_count(self.object_list)
        return n

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return Page(page_rows(self.object_list, bottom, top), number, self)

    exact = True


class CursorPage:
    """A page reached by cursor beyond the numbered pages: its rows, and cursors to the pages either side."""

    number = None

    def __init__(self, rows: list, paginator: CappedPaginator, has_previous: bool, has_next: bool, order):
        self.object_list = rows
        self.paginator = paginator
        self.has_previous_rows = has_previous
        self.has_next_rows = has_next
        self.previous_cursor = keyset.cursor(rows[0], order) if rows and has_previous else ""
        self.next_cursor = keyset.cursor(rows[-1], order) if rows and has_next else ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def _cursor_page(request: HttpRequest, rows: QuerySet, size: int) -> CursorPage | Page:
    """The page after `?after=` or before `?before=`; a cursor it cannot read raises ValidationFailed."""
    backwards = not request.GET.get("after")
    param = "before" if backwards else "after"
    values = keyset.decode(request.GET[param], rows, param)
    order = keyset.keyset_ordering(rows)
    found = page_rows(keyset.seek(rows, values, backwards=backwards), 0, size + 1)
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    return CursorPage(
        found,
        CappedPaginator(rows, size),
        has_previous=more if backwards else True,
        has_next=True if backwards else more,
        order=order,
    )


def paginate(request: HttpRequest, rows: Any, per_page: int = PER_PAGE, *, keyset_pages: bool = False):
    """The page of `rows` (a queryset or list) that `?page=` asks for, `?size=` rows a page; with `keyset_pages`
    and a list a cursor can walk, `?after=` / `?before=` (a cursor it cannot read: a message, the first page)."""
    size = page_size(request, per_page)
    walkable = keyset_pages and isinstance(rows, QuerySet) and keyset.keyset_ordering(rows) is not None
    page: Any = None
    if walkable and (request.GET.get("after") or request.GET.get("before")):
        try:
            page = _cursor_page(request, rows, size)
        except ValidationFailed as exc:  # a cursor it cannot read: say so, show the first page
            messages.error(request, "；".join(e.message for e in exc.errors))
    if page is None:
        page = CappedPaginator(rows, size).get_page(request.GET.get("page"))
        page.next_cursor = ""
        if walkable and not page.has_next() and not page.paginator.exact and page.object_list:
            # the last numbered page of a capped count: the rows go on, by cursor
            page.next_cursor = keyset.cursor(list(page.object_list)[-1], keyset.ordering_of(rows))
    page.cursor = isinstance(page, CursorPage)
    # "10000+" when the count stopped at the cap (the pager's 共10000+条)
    count = page.paginator.count
    page.count_label = str(count) if page.paginator.exact else f"{count}+"
    keep = [(k, v) for k, values in request.GET.lists() if k not in OWN for v in values]
    page.keep = keep  # the list's parameters, for the pager's form
    page.size = size
    page.sizes = sorted({*SIZES, per_page})
    sized = [*keep, ("size", size)] if size != per_page else keep
    page.query = urlencode(sized)  # the links' query without the page number
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
