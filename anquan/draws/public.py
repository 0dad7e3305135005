"""The public side of a draw (一公开): the published draws of a region, for anyone, without an account — on the
page /public/random-draws/ and in GET /api/v1/public/random-draws. It shows the date, the issuing unit, the
enterprises drawn, the inspectors' names and the results once entered, and nothing else about anyone (no
usernames, phones, certificate numbers, seeds' pools or conflicts). Both are throttled per address
(`core.public`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from anquan.core.public import PublicThrottle, public, refused
from anquan.regions.inputs import public_region, subtree

from . import services
from .choices import PUBLIC_STATUSES
from .models import DrawAssignment, DrawPick, RandomDraw

THROTTLE = "public-draws"  # the budget the page and the API share (core.public.PublicThrottle)


def published(region: str | None) -> QuerySet[RandomDraw]:
    qs = RandomDraw.objects.filter(subtree(region), status__in=PUBLIC_STATUSES).select_related(
        "region", "department"
    )
    picks = DrawPick.objects.order_by("position").prefetch_related(
        Prefetch("assignments", DrawAssignment.objects.order_by("position"))
    )
    return qs.prefetch_related(Prefetch("picks", picks)).order_by("-published_at", "-id")


def as_json(d: RandomDraw) -> dict[str, Any]:
    return {
        "id": d.pk,
        "title": d.title,
        "unit": d.unit_name,
        "region": d.region_code,
        "draw_date": d.draw_date,
        "published_at": d.published_at,
        "status_label": d.get_status_display(),
        "picks": [
            {
                "enterprise_name": p.enterprise_name,
                "inspectors": [a.inspector_name for a in p.assignments.all()],
                "result_label": p.get_result_display() if p.result else None,
                "result_text": p.result_text,
            }
            for p in d.picks.all()
        ],
    }


@require_GET
def public_draws(request: HttpRequest) -> HttpResponse:
    if (too_many := refused(request, PublicThrottle(THROTTLE))) is not None:
        return too_many
    region = public_region(request.GET.get("region"))
    code = region.code if region is not None else ""
    draws = list(published(code)[:50])
    rule = services.figures(timezone.localdate(), code)
    return public(render(request, "draws/public_list.html", {"draws": draws, "region": region, "rule": rule}))
