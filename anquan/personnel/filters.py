"""What the personnel lists and the coverage show, for page, API and export alike: the people in scope narrowed by
enterprise, region, post and certificate state; the enterprises a coverage covers (region, industry)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from anquan.core.scope import restrict, within
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry
from anquan.regions.models import Region

from .choices import CertificateState
from .models import POST_FIELDS, Certificate, Person
from .stats import Coverage, coverage
from .validity import RuleBook, standing


def people(
    user: Any, *, enterprise: str = "", region: str = "", post: str = "", state: str = ""
) -> QuerySet[Person]:
    qs = restrict(Person, user).select_related("enterprise")
    if enterprise:
        qs = qs.filter(
            Q(enterprise__uscc=enterprise.strip().upper()) | Q(enterprise__name__contains=enterprise.strip())
        )
    if region:
        place = Region.objects.filter(code=region).first()
        qs = qs.filter(within(place.prefix, "enterprise__region_code")) if place else qs.none()
    if post in POST_FIELDS:
        qs = qs.filter(**{POST_FIELDS[post]: True})  # type: ignore[index]
    if state in CertificateState.values:
        ids = certificates_in_state(restrict(Certificate, user).filter(person__in=qs), state)
        qs = qs.filter(certificates__in=ids).distinct()
    return qs


def certificates_in_state(qs: QuerySet[Certificate], state: str, on: dt.date | None = None) -> list[int]:
    """Ids of the certificates of `qs` in `state` on `on` (today); computed with the rule versions read once."""
    on = on or timezone.localdate()
    book = RuleBook()
    rows = qs.select_related("person__enterprise")
    return [c.pk for c in rows if standing(c, on, book, c.person.enterprise.region_code).state == state]


def region_for(user: Any, code: str | None) -> Region:
    """The region asked for (default: the user's own); 404 outside the user's scope or unknown."""
    if user.region_id is None:
        raise Http404
    if not code:
        own: Region = user.region
        return own
    region = Region.objects.filter(code=code).first()
    if region is None or not region.prefix.startswith(user.region.prefix):
        raise Http404
    return region


def coverage_for(
    user: Any, *, region: str | None, industry: str | None, on: dt.date | None
) -> tuple[Coverage, Region]:
    place = region_for(user, region)
    enterprises = restrict(Enterprise, user).filter(within(place.prefix))
    if industry:
        if not Industry.objects.filter(code=industry).exists():
            raise Http404
        enterprises = enterprises.filter(industry__code=industry)
    return coverage(enterprises, on or timezone.localdate()), place
