"""Which bulletins a list shows (the page and the API): a value no bulletin can have matches nothing."""

from django.db.models import QuerySet

from anquan.core.scope import within
from anquan.regions.models import Region

from . import periods
from .choices import Kind


def apply(qs: QuerySet, params) -> QuerySet:
    """`qs` under `kind`, `region` (its subtree) and `year` (request.GET or the API's query)."""
    kind = params.get("kind")
    if kind:
        qs = qs.filter(kind=kind) if kind in Kind.values else qs.none()
    code = params.get("region")
    if code:
        region = Region.objects.filter(code=code).first()
        qs = qs.filter(within(region.prefix)) if region else qs.none()
    year = str(params.get("year") or "").strip()
    if year:  # a year outside the bulletins' range matches nothing (the API refuses it first)
        valid = year.isdigit() and periods.FIRST_YEAR <= int(year) <= periods.LAST_YEAR
        qs = qs.filter(period_start__year=int(year)) if valid else qs.none()
    return qs
