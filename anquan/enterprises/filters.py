"""The one filter definition for enterprise lists: list page, API and Excel export (STYLE practice 8)."""

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Length

from anquan.core.errors import ValidationFailed
from anquan.core.inputs import choice, flag, refuse
from anquan.core.scope import within
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
    condition = (grams(q) & Q(name__contains=q)) | Q(uscc__startswith=q.upper())
    if q.isascii() and q.isalnum():
        condition |= grams(q.lower()) & Q(name_initials__contains=q.lower())
    return qs.filter(condition)


def grams(term: str) -> Q:
    """PostgreSQL: the name-and-initials gram index's prefilter for a name or initials containing `term`
    (enterprises/migrations/0005, docs/adr/0050); the caller keeps the exact `contains` beside it. SQLite has
    no enterprise index: no prefilter (the registry is scanned)."""
    if connection.vendor != "postgresql":
        return Q()
    row = Func(
        F("name"), F("name_initials"), arg_joiner=" || ' ' || ", template="anquan_grams(%(expressions)s)"
    )
    wanted = Func(Value(term), function="anquan_query_grams")
    # columns through F so that they are qualified when the list joins other tables (the index matches anyway)
    return Q(Func(row, wanted, arg_joiner=" @> ", template="%(expressions)s", output_field=BooleanField()))


def ranked(qs: QuerySet, q: str) -> QuerySet:
    """`search` with the closest matches first (issue #12 item 8): the exact name (or the whole credit
    code), then names that begin with q, then pinyin initials that begin with it ("jxhg" → 江西化工…),
    then the rest (q inside the name or the initials, a credit code beginning with it); within each
    rank shorter names first (the company itself before its branches), then by name."""
    q = q.strip()
    initials = q.isascii() and q.isalnum()
    rank = Case(
        When(Q(name=q) | Q(uscc=q.upper()), then=Value(0)),
        When(name__startswith=q, then=Value(1)),
        *([When(name_initials__startswith=q.lower(), then=Value(2))] if initials else []),
        default=Value(3),
        output_field=IntegerField(),
    )
    return (
        search(qs, q)
        .annotate(match_rank=rank, name_length=Length("name"))
        .order_by("match_rank", "name_length", "name", "id")
    )


RISK_LEVELS = ("red", "orange", "yellow", "blue", "none")  # "none": not yet assessed
MAX_Q = 100


def check(params) -> None:
    """Refuse (ValidationFailed naming the parameter: API 422, a message on the page) a value the
    filters cannot mean: an unknown status, scale, grade, risk level or ordering, a flag that is not
    true/false, a search longer than 100 characters. Unknown codes of records simply match nothing."""
    get = params.get
    if len(str(get("q") or "")) > MAX_Q:
        refuse("q", f"搜索内容不能超过{MAX_Q}个字符")
    for key, choices in (
        ("status", Status),
        ("scale", Scale),
        ("standardization_grade", StandardizationGrade),
    ):
        choice(get(key), key, choices)
    choice(get("risk_level"), "risk_level", RISK_LEVELS)
    flag(get("key_supervision"), "key_supervision")
    choice(get("ordering"), "ordering", ORDERINGS)


def apply(qs: QuerySet, params, *, strict: bool = False) -> QuerySet:
    """Apply filters from a mapping (request.GET or API query params). `strict`: refuse values the
    filters cannot mean (see `check`); otherwise such a value matches nothing."""
    if strict:
        check(params)
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
    risk_level = get("risk_level")
    if risk_level:
        qs = (
            qs.filter(risk_level="" if risk_level == "none" else risk_level)
            if risk_level in RISK_LEVELS
            else qs.none()
        )
    try:
        key_supervision = flag(get("key_supervision"), "key_supervision")
    except ValidationFailed:
        key_supervision, qs = None, qs.none()
    if key_supervision is not None:
        qs = qs.filter(key_supervision=key_supervision)
    if get("q") and not get("ordering"):  # a search without a chosen order: the closest matches first
        return ranked(qs, get("q"))
    ordering = ORDERINGS.get(get("ordering") or "region", ORDERINGS["region"])
    return qs.order_by(*ordering, "id")
