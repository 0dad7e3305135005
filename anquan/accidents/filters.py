"""Which accidents a list shows: the register page's `grade` and `year`, the API's `region`, `grade` and
`from`/`to` (the period as the statistics read it). A value the page cannot mean leaves the register empty and
says why (never silently unfiltered); the API's schema refuses such values before they get here (422)."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from anquan.core.contract import DATE_MIN
from anquan.core.scope import within
from anquan.regions.models import Region

from . import stats
from .choices import Grade


def register(qs: QuerySet, params) -> tuple[QuerySet, list[str]]:
    """The register page's rows under `grade` and `year` (request.GET), and a message per value it cannot mean."""
    errors = []
    grade, year = params.get("grade", ""), params.get("year", "").strip()
    if grade in Grade.values:
        qs = qs.filter(grade=grade)
    elif grade:
        errors.append(_("Unknown grade."))
        qs = qs.none()
    if year.isdigit() and DATE_MIN.year <= int(year) <= timezone.localdate().year + 1:
        qs = qs.filter(occurred_at__year=int(year))
    elif year:
        errors.append(_("Enter a year from 1949 to next year."))
        qs = qs.none()
    return qs, errors


def apply(qs: QuerySet, params) -> QuerySet:
    """The API's list under `AccidentFilters`: the region's subtree, the grade, occurred from/to."""
    if params.region:
        node = Region.objects.filter(code=params.region).first()
        qs = qs.filter(within(node.prefix)) if node else qs.none()
    if params.grade:
        qs = qs.filter(grade=params.grade)
    if params.date_from or params.date_to:
        period = stats.parse_period(params.date_from, params.date_to)
        qs = qs.filter(occurred_at__date__gte=period.start, occurred_at__date__lte=period.end)
    return qs
