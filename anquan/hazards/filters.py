"""The one filter definition for the hazard ledger: list page, API, Excel export and statistics."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from anquan.accounts.scope import within
from anquan.regions.models import Region

from .choices import Level, Source, Status
from .models import Listing

ORDERINGS = {
    "found": ("found_at", "id"),
    "-found": ("-found_at", "-id"),
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "id"),
    "region": ("region_code", "-found_at"),
    "status": ("status", "-found_at"),
}


def _date(value):
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return dt.date.min  # a malformed date matches nothing rather than everything


def _flag(value):
    return {"true": True, "1": True, True: True, "false": False, "0": False, False: False}.get(value)


def with_listing(qs: QuerySet) -> QuerySet:
    return qs.annotate(
        is_listed=Exists(Listing.objects.filter(hazard=OuterRef("pk"), delisted_at__isnull=True))
    )


def apply(qs: QuerySet, params) -> QuerySet:
    get = params.get
    if get("q"):
        q = str(get("q")).strip()
        qs = qs.filter(
            Q(description__contains=q)
            | Q(enterprise__name__contains=q)
            | Q(address__contains=q)
            | Q(enterprise__uscc__startswith=q.upper())
            | Q(enterprise__name_initials__contains=q.lower())
        )
    if get("region"):
        region = Region.objects.filter(code=get("region")).first()
        qs = qs.filter(within(region.prefix)) if region else qs.none()
    if get("enterprise"):
        qs = qs.filter(enterprise__uscc=str(get("enterprise")).upper())
    if get("industry"):
        qs = qs.filter(industry__code=get("industry"))
    if get("department"):
        qs = qs.filter(supervising_department__name=get("department"))
    for key, choices in (("level", Level), ("source", Source)):
        if get(key):
            qs = qs.filter(**{key: get(key)}) if get(key) in choices.values else qs.none()
    if get("status"):
        wanted = [s for s in str(get("status")).split(",") if s]
        if wanted == ["open"]:
            qs = qs.filter(
                status__in=[
                    Status.REPORTED,
                    Status.CONFIRMED,
                    Status.RECTIFYING,
                    Status.SUBMITTED,
                    Status.ACCEPTED,
                ]
            )
        else:
            qs = qs.filter(status__in=wanted) if set(wanted) <= set(Status.values) else qs.none()
    if _flag(get("overdue")) is not None:
        qs = qs.filter(overdue=_flag(get("overdue")))
    if _flag(get("listed")) is not None:
        qs = with_listing(qs).filter(is_listed=_flag(get("listed")))
    for key, lookup in (
        ("found_from", "found_at__date__gte"),
        ("found_to", "found_at__date__lte"),
        ("closed_from", "closed_at__date__gte"),
        ("closed_to", "closed_at__date__lte"),
        ("deadline_to", "deadline__lte"),
    ):
        if get(key):
            qs = qs.filter(**{lookup: _date(get(key))})
    return qs.order_by(*ORDERINGS.get(get("ordering") or "-found", ORDERINGS["-found"]))
