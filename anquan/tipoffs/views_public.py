"""The public pages (no account, phone-first): the tip-off form /public/tip-offs/new/ (`?venue=<public_code>` fills
in a small venue), the status page /public/tip-offs/<code>/ (stage and outcome only) and the lookup by code.
Throttled per address (public.py); submissions limited per phone and address (services._throttle)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from anquan.accounts.lockout import client_ip
from anquan.core.errors import ValidationFailed, form_errors
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from . import public, services
from .choices import Kind

FIELDS = (
    "kind",
    "description",
    "region",
    "address",
    "latitude",
    "longitude",
    "venue",
    "reporter_name",
    "reporter_phone",
)


def _counties() -> list[tuple[str, list[Region]]]:
    """The province's counties grouped by city, for the first of the two region choices."""
    cities = {r.code: r for r in Region.objects.filter(level=RegionLevel.CITY).order_by("code")}
    grouped: dict[str, list[Region]] = {}
    for county in Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"):
        city = cities.get(county.code[:4] + "00")
        grouped.setdefault(city.name if city else "", []).append(county)
    return list(grouped.items())


def _form_context(request: HttpRequest, values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    place = services.venue(str(values.get("venue") or ""))
    region_code = str(values.get("region") or (place.region.code if place and place.region else ""))
    county = str(request.GET.get("county") or values.get("county") or region_code[:6])
    townships = (
        list(Region.objects.filter(code__startswith=county, level=RegionLevel.TOWNSHIP).order_by("code"))
        if len(county) == 6
        else []
    )
    if place is not None and place.region is not None and place.region not in townships:
        townships.insert(0, place.region)
    return {
        "values": values,
        "errors": errors,
        "kinds": Kind.choices,
        "counties": _counties(),
        "county": county,
        "townships": townships,
        "region_code": region_code,
        "venue": place,
        "form_key": values.get("form_key") or uuid.uuid4().hex,
        "max_photos": services.MAX_PHOTOS,
        "hotline": services.HOTLINE,
    }


@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    refused = public.throttled(request)
    if refused is not None:
        return refused
    if request.method == "GET":
        values: dict[str, Any] = {"venue": request.GET.get("venue", "").strip()[:40]}
        return _page(render(request, "tipoffs/public_new.html", _form_context(request, values, {})))
    values = {k: request.POST.get(k, "") for k in (*FIELDS, "form_key", "county")}
    try:
        tipoff, _ = services.submit(
            values,
            request.FILES.getlist("photos"),
            client_address=client_ip(request),
            key=values["form_key"] or None,
            strict_key=False,  # the page makes a key per rendering: a form sent again after Back answers the first
        )
    except services.Throttled as exc:
        context = _form_context(request, values, form_errors(exc))
        return _page(render(request, "tipoffs/public_new.html", context, status=429))
    except ValidationFailed as exc:
        context = _form_context(request, values, form_errors(exc))
        return _page(render(request, "tipoffs/public_new.html", context, status=422))
    return redirect(f"/public/tip-offs/{tipoff.tracking_code}/?new=1")


@require_GET
def status(request: HttpRequest, code: str) -> HttpResponse:
    refused = public.throttled(request)
    if refused is not None:
        return refused
    view = services.public_view(services.by_code(code))
    return _page(
        render(request, "tipoffs/public_status.html", {"t": view, "new": request.GET.get("new") == "1"})
    )


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    refused = public.throttled(request)
    if refused is not None:
        return refused
    code = request.GET.get("code", "").strip().upper()
    if code:
        try:
            found = services.by_code(code)
        except Http404:
            return _page(
                render(request, "tipoffs/public_lookup.html", {"code": code, "missing": True}, status=404)
            )
        return redirect(f"/public/tip-offs/{found.tracking_code}/")
    return _page(render(request, "tipoffs/public_lookup.html", {"code": ""}))


def _page(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-store"
    return response
