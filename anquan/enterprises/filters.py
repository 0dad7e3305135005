"""The one filter definition for enterprise lists: list page, API and Excel export (STYLE practice 8)."""

from django.db.models import Q, QuerySet

from anquan.accounts.scope import within
from anquan.regions.models import Region

from .choices import Scale, StandardizationGrade, Status

ORDERINGS = {
    "name": ("name",),
    "-name": ("-name",),
    "region": ("region_code", "name"),
    "-region": ("-region_code", "name"),
    "employees": ("employee_count", "name"),
    "-employees": ("-employee_count", "name"),
    "updated": ("updated_at",),
    "-updated": ("-updated_at",),
    "uscc": ("uscc",),
    "-uscc": ("-uscc",),
}
FILTER_KEYS = (
    "q",
    "region",
    "industry",
    "department",
    "status",
    "scale",
    "standardization_grade",
    "key_supervision",
    "grid",
    "ordering",
)


def search(qs: QuerySet, q: str) -> QuerySet:
    """Name contains q, or pinyin initials contain it ("jxhg" → 江西化工…), or the USCC starts with it."""
    q = q.strip()
    if not q:
        return qs
    condition = Q(name__contains=q) | Q(uscc__startswith=q.upper())
    if q.isascii() and q.isalnum():
        condition |= Q(name_initials__contains=q.lower())
    return qs.filter(condition)


def apply(qs: QuerySet, params) -> QuerySet:
    """Apply filters from a mapping (request.GET or API query params); unknown values match nothing."""
    get = params.get
    if get("q"):
        qs = search(qs, get("q"))
    if get("region"):
        region = Region.objects.filter(code=get("region")).first()
        qs = qs.filter(within(region.prefix)) if region else qs.none()
    if get("industry"):
        qs = qs.filter(industry__code=get("industry"))
    if get("department"):
        qs = qs.filter(supervising_department__name=get("department"))
    if get("grid"):
        qs = qs.filter(grid__code=get("grid"))
    for key, choices in (
        ("status", Status),
        ("scale", Scale),
        ("standardization_grade", StandardizationGrade),
    ):
        value = get(key)
        if value:
            qs = qs.filter(**{key: value}) if value in choices.values else qs.none()
    risk_level = get("risk_level")  # red / orange / yellow / blue, or "none" for not yet assessed
    if risk_level:
        allowed = {"red", "orange", "yellow", "blue"}
        qs = (
            qs.filter(risk_level="" if risk_level == "none" else risk_level)
            if risk_level in allowed | {"none"}
            else qs.none()
        )
    key_supervision = get("key_supervision")
    if key_supervision in ("true", "1", True):
        qs = qs.filter(key_supervision=True)
    elif key_supervision in ("false", "0", False):
        qs = qs.filter(key_supervision=False)
    ordering = ORDERINGS.get(get("ordering") or "region", ORDERINGS["region"])
    return qs.order_by(*ordering, "id")
