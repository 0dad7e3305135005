"""The public side of a draw (一公开): the published draws of a region, for anyone, without an account — on the
page /public/random-draws/ and in GET /api/v1/public/random-draws. It shows the date, the issuing unit, the
enterprises drawn, the inspectors' names and the results once entered, and nothing else about anyone (no
usernames, phones, certificate numbers, seeds' pools or conflicts). Both are throttled per address (`RATE`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET
from ninja.throttling import AnonRateThrottle

from anquan.accounts.lockout import client_ip
from anquan.core.scope import within
from anquan.regions.models import Region

from . import services
from .choices import PUBLIC_STATUSES
from .models import DrawAssignment, DrawPick, RandomDraw

RATE = "60/min"  # requests per address per minute on the public page and API (django-ninja's throttle)


class PublicThrottle(AnonRateThrottle):
    """django-ninja's per-address throttle, counting by the address the login lockout uses
    (`accounts.lockout.client_ip`: X-Forwarded-For only through ANQUAN_PROXY_COUNT proxies, so a client cannot
    spread its requests over forged addresses)."""

    scope = "public-draws"

    def __init__(self) -> None:
        super().__init__(RATE)

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


def published(region: str | None) -> QuerySet[RandomDraw]:
    qs = RandomDraw.objects.filter(status__in=PUBLIC_STATUSES).select_related("region", "department")
    if region:
        found = Region.objects.filter(code=region).first()
        qs = qs.filter(within(found.prefix)) if found is not None else qs.none()
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
    if not PublicThrottle().allow_request(request):
        response = render(request, "draws/public_throttled.html", status=429)
        response["Retry-After"] = "60"
        return response
    code = request.GET.get("region", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if code and region is None:
        raise Http404
    draws = list(published(code or None)[:50])
    rule = services.figures(timezone.localdate(), code or "")
    response = render(
        request,
        "draws/public_list.html",
        {"draws": draws, "region": region, "rule": rule},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
