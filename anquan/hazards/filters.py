"""The one filter definition for the hazard ledger: list page, API, Excel export and statistics.

A value the filter cannot mean (an unknown status, level, source or ordering, a malformed or implausible
date, a flag that is not true/false) is refused with ValidationFailed naming the parameter (API 422; the
ledger page shows the message), never ignored or turned into an empty list. Unknown codes of records
(a region, enterprise, industry or department that does not exist) match nothing.
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet

from anquan.core.inputs import choice, filter_date, flag, refuse
from anquan.core.paging import count_up_to
from anquan.core.scope import within
from anquan.regions.models import Region

from . import text_search, todo
from .choices import Level, Source, Status
from .models import Listing

ORDERINGS = {
    "found": ("found_at", "id"),
    "-found": ("-found_at", "-id"),
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "id"),
    "region": ("region_code", "-found_at", "-id"),
    "status": ("status", "-found_at", "-id"),
}
# every ordering ends in the id so that a page's place is one row (core.keyset walks those with non-null
# columns: all but the deadline's, whose deadline may be empty)


OPEN = "open"  # the status filter's shorthand for every open status
DATE_FILTERS = (
    ("found_from", "found_at__date__gte"),
    ("found_to", "found_at__date__lte"),
    ("closed_from", "closed_at__date__gte"),
    ("closed_to", "closed_at__date__lte"),
    ("deadline_to", "deadline__lte"),
)
MAX_Q = 100  # a search text longer than this is refused


def with_listing(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        is_listed=Exists(Listing.objects.filter(hazard=OuterRef("pk"), delisted_at__isnull=True))
    )


def _area(region_prefix: str | None, user) -> str:
    """The narrowest region prefix the list is confined to: its user's region (an authority's scope) or its
    `region` filter's. Disjoint ones leave the list empty whichever is taken; the search probes only there."""
    prefixes = [region_prefix or ""] if region_prefix is not None else []
    if user is not None and not getattr(user, "enterprise_id", None) and getattr(user, "region", None):
        prefixes.append(user.region.prefix)
    return max(prefixes, key=len, default="")


def apply(qs: QuerySet, params, user=None) -> QuerySet:
    """`user`: whose to-do `?todo=KIND` means (the to-do centre's links: what waits for that user)."""
    get = params.get
    # the `region` filter's prefix ("" for an unknown code: nothing matches), None without one
    region = None
    if get("region"):
        region = Region.objects.filter(code=get("region")).values_list("prefix", flat=True).first() or ""
    if get("todo"):
        kind = str(get("todo"))
        if user is None or kind not in todo.KINDS:
            refuse("todo", "待办类型无效，可选：" + "、".join(label for label, _ in todo.KINDS.values()))
        qs = qs.filter(todo.waiting(user, kind))
    if get("q"):
        q = str(get("q")).strip()
        if len(q) > MAX_Q:
            refuse("q", f"搜索内容不能超过{MAX_Q}个字符")
        condition, sample = text_search.matching(q, _area(region, user))
        qs = count_up_to(qs.filter(condition), settings.SEARCH_COUNT_CAP, sample=sample)
    if region is not None:
        qs = qs.filter(within(region)) if region else qs.none()
    if get("enterprise"):
        qs = qs.filter(enterprise__uscc=str(get("enterprise")).upper())
    if get("found_by"):  # a user's own reports and findings (the field homes' 我的上报 / 我的任务)
        qs = qs.filter(found_by__username=str(get("found_by")))
    if get("industry"):
        qs = qs.filter(industry__code=get("industry"))
    if get("department"):
        qs = qs.filter(supervising_department__name=get("department"))
    for key, choices in (("level", Level), ("source", Source)):
        if choice(get(key), key, choices):
            qs = qs.filter(**{key: get(key)})
    if get("status"):
        wanted = [s.strip() for s in str(get("status")).split(",") if s.strip()]
        unknown = [s for s in wanted if s not in Status.values and s != OPEN]
        if unknown or (OPEN in wanted and len(wanted) > 1):
            refuse("status", "取值应为 open 或以下状态（可用逗号分隔多个）：" + "、".join(Status.values))
        if wanted == [OPEN]:
            qs = qs.filter(
                status__in=[
                    Status.REPORTED,
                    Status.CONFIRMED,
                    Status.RECTIFYING,
                    Status.SUBMITTED,
                    Status.ACCEPTED,
                ]
            )
        elif wanted:
            qs = qs.filter(status__in=wanted)
    overdue = flag(get("overdue"), "overdue")
    if overdue is not None:
        qs = qs.filter(overdue=overdue)
    listed = flag(get("listed"), "listed")
    if listed is not None:
        qs = with_listing(qs).filter(is_listed=listed)
    for key, lookup in DATE_FILTERS:
        value = filter_date(get(key), key)
        if value is not None:
            qs = qs.filter(**{lookup: value})
    ordering = choice(get("ordering"), "ordering", ORDERINGS) or "-found"
    return qs.order_by(*ORDERINGS[ordering])
