"""The office pages of small venues: the list (filters, pages, Excel), a venue (its checks, failed items, QR code,
owner's copy), register/edit, the grid worker's phone card, the Excel import and the QR label sheet."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core.errors import NotPermitted, ValidationFailed, form_errors, http_status
from anquan.core.idempotency import run_once
from anquan.core.imports import page_context
from anquan.core.paging import paginate, remember_filters
from anquan.core.scope import CHANGE, get_in_scope, restrict, role_may
from anquan.enterprises.excel import ImportMode
from anquan.jobs.models import JobKind
from anquan.jobs.views import handle_import
from anquan.regions.models import Grid

from . import excel, filters, labels, services
from .checklist import items_of, version_for
from .choices import CheckFilter, VenueKind, VenueStatus
from .models import SmallVenue
from .validation import BOOLS, FIELDS

# the phone card's fields (the rest keep their defaults and are filled in later at a desk)
QUICK = (
    "kind",
    "name",
    "address",
    "region",
    "grid",
    "owner_name",
    "owner_phone",
    "extinguishers",
    "exits",
    "ebike_indoor_charging",
    "uses_gas",
    "gas_alarm",
    "combustible_decoration",
    "latitude",
    "longitude",
)
PIN_SESSION = "venue-pin:{}"  # the PIN of a venue just registered or reset, shown once on the owner's copy


def _scoped(user) -> Any:
    return restrict(SmallVenue, user).select_related("region", "grid")


def _require_change(user) -> None:
    if not role_may(user, SmallVenue, CHANGE):
        raise PermissionDenied


def _list_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "kinds": VenueKind.choices,
        "statuses": VenueStatus.choices,
        "checks": CheckFilter.choices,
        "grids": restrict(Grid, request.user).order_by("code")[:500],
        "can_change": role_may(request.user, SmallVenue, CHANGE),
    }


@login_required
@remember_filters
def venue_list(request: HttpRequest) -> HttpResponse:
    try:
        qs = filters.apply(_scoped(request.user), request.GET)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        qs, errors = _scoped(request.user).none(), form_errors(exc)
    page = paginate(request, qs.order_by("region_code", "name", "id"))
    context = {"page": page, "errors": errors, "query": request.GET.urlencode(), **_list_context(request)}
    return render(request, "venues/list.html", context, status=422 if errors else 200)


@login_required
def venue_export(request: HttpRequest) -> HttpResponse:
    qs = filters.apply(_scoped(request.user), request.GET)
    return excel.export_response(qs.order_by("region_code", "name", "id"), request.user)


@login_required
def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_in_scope(_scoped(request.user), request.user, pk=pk)
    checks = list(venue.checks.select_related("actor")[:24])
    version = version_for(timezone.localdate(), venue.region_code)
    context = {
        "v": venue,
        "checks": checks,
        "failed": next((c.failed_items for c in checks if c.failed_items), []),
        "public_url": services.public_url(venue, request),
        "can_change": role_may(request.user, SmallVenue, CHANGE),
        "version": version,
        "items": items_of(version, venue.kind),
    }
    return render(request, "venues/detail.html", context)


def _raw(post) -> dict[str, Any]:
    raw = {f.name: post.get(f.name, "") for f in FIELDS if f.kind != "bool"}
    raw.update({name: post.get(name) == "on" for name in BOOLS})
    return raw


def _form(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    values, errors = context.get("values", {}), context.get("errors", {})
    shown = [f for f in FIELDS if f.name in QUICK] if template.endswith("quick.html") else FIELDS
    rows = [(f, values.get(f.name), errors.get(f.name)) for f in shown]
    others = [m for k, m in errors.items() if k not in {f.name for f in shown}]
    base = {
        "kinds": VenueKind.choices,
        "statuses": VenueStatus.choices,
        "rows": rows,
        "others": others,
        **context,
    }
    base.setdefault("grids", restrict(Grid, request.user).order_by("code")[:500])
    return render(request, template, base, status=status)


def _created(request: HttpRequest, venue: SmallVenue, pin: str) -> HttpResponse:
    request.session[PIN_SESSION.format(venue.pk)] = pin
    messages.success(
        request, _("Small venue registered. Print the owner's copy: it holds the self-check PIN.")
    )
    return redirect("venues:owner_copy", pk=venue.pk)


@login_required
def venue_create(request: HttpRequest) -> HttpResponse:
    """The desktop form (phone: `venue_quick`)."""
    _require_change(request.user)
    values: dict[str, Any] = {"status": VenueStatus.OPEN, "exits": 1, "extinguishers": 0}
    if request.method == "POST":
        values = _raw(request.POST)
        try:
            venue, pin = services.create_venue(request.user, values)
        except (ValidationFailed, NotPermitted) as exc:
            return _form(
                request, "venues/form.html", {"values": values, "errors": form_errors(exc)}, http_status(exc)
            )
        return _created(request, venue, pin)
    return _form(request, "venues/form.html", {"values": values, "errors": {}})


@login_required
def venue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_in_scope(_scoped(request.user), request.user, CHANGE, pk=pk)
    values: dict[str, Any] = {
        f.name: getattr(venue, f.name) for f in FIELDS if f.kind not in ("region", "grid")
    }
    values.update(region=venue.region.code, grid=venue.grid.code if venue.grid_id else "")
    if request.method == "POST":
        values = _raw(request.POST)
        try:
            services.update_venue(request.user, venue, values)
        except (ValidationFailed, NotPermitted) as exc:
            context = {"values": values, "errors": form_errors(exc), "v": venue}
            return _form(request, "venues/form.html", context, http_status(exc))
        messages.success(request, _("Changes saved."))
        return redirect("venues:detail", pk=venue.pk)
    return _form(request, "venues/form.html", {"values": values, "errors": {}, "v": venue})


@login_required
def venue_quick(request: HttpRequest) -> HttpResponse:
    """The grid worker's phone card: few fields, large inputs, sent through the offline outbox (field.js) with
    its client key, so a registration made without a network is recorded once when it arrives."""
    _require_change(request.user)
    grids = list(request.user.grids.all()) if hasattr(request.user, "grids") else []
    values: dict[str, Any] = {"status": VenueStatus.OPEN, "exits": 1, "extinguishers": 0}
    if len(grids) == 1:
        values.update(grid=grids[0].code, region=grids[0].region.code)
    context: dict[str, Any] = {"form_key": uuid.uuid4().hex, "my_grids": grids}
    if request.method == "POST":
        values = _raw(request.POST)
        key = request.POST.get("form_key") or None

        def create() -> tuple[int, dict]:
            venue, pin = services.create_venue(request.user, values)
            request.session[PIN_SESSION.format(venue.pk)] = pin  # never in the stored answer (plain PIN)
            return 201, {"id": venue.pk}

        try:
            _status, body = run_once(request, "venues.create", key, create)
        except (ValidationFailed, NotPermitted) as exc:
            context.update(values=values, errors=form_errors(exc), form_key=key or context["form_key"])
            return _form(request, "venues/quick.html", context, http_status(exc))
        messages.success(
            request, _("Small venue registered. Print the owner's copy: it holds the self-check PIN.")
        )
        return redirect("venues:owner_copy", pk=body["id"])
    context.update(values=values, errors={})
    return _form(request, "venues/quick.html", context)


@login_required
def owner_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's copy (业主联): the code, the address it opens and — once, right after registration or a
    reset — the self-check PIN."""
    venue = get_in_scope(_scoped(request.user), request.user, pk=pk)
    pin = request.session.pop(PIN_SESSION.format(venue.pk), None)
    context = {
        "v": venue,
        "pin": pin,
        "public_url": services.public_url(venue, request),
        "can_change": role_may(request.user, SmallVenue, CHANGE),
    }
    return render(request, "venues/owner_copy.html", context)


@login_required
@require_POST
def pin_reset(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_in_scope(_scoped(request.user), request.user, CHANGE, pk=pk)
    pin = services.reset_pin(request.user, venue)
    request.session[PIN_SESSION.format(venue.pk)] = pin
    messages.success(request, _("A new PIN was issued; the old one no longer works."))
    return redirect("venues:owner_copy", pk=venue.pk)


@login_required
def qr_image(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("png", "svg"):
        raise Http404
    venue = get_in_scope(_scoped(request.user), request.user, pk=pk)
    url = services.public_url(venue, request)
    if fmt == "svg":
        return HttpResponse(labels.svg(url), content_type="image/svg+xml")
    return HttpResponse(labels.png(url), content_type="image/png")


@login_required
@transaction.non_atomic_requests
def qr_sheet(request: HttpRequest) -> HttpResponse:
    """The A4 label sheet of the filtered list: a PDF at once, or a job above VENUES_SHEET_BACKGROUND venues."""
    try:
        qs = filters.apply(_scoped(request.user), request.GET)
    except ValidationFailed as exc:
        return HttpResponse(
            "；".join(form_errors(exc).values()), status=422, content_type="text/plain; charset=utf-8"
        )
    qs = qs.order_by("region_code", "name", "id")
    if qs.count() > settings.VENUES_SHEET_BACKGROUND:
        from .sheets import submit

        job = submit(request.user, request.GET, services.public_base(request))
        return redirect("jobs:detail", pk=job.pk)
    base = services.public_base(request)
    pdf = labels.sheet_pdf((v, base + services.public_path(v)) for v in qs.iterator(chunk_size=500))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = "inline; filename*=UTF-8''venue-labels.pdf"
    return response


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require_change(request.user)
    return excel.template_response()


@login_required
@transaction.non_atomic_requests  # an import job is committed before it runs (anquan/jobs)
def venue_import(request: HttpRequest) -> HttpResponse:
    _require_change(request.user)
    result, error = None, ""
    if request.method == "POST":
        result, error, moved = handle_import(request, JobKind.VENUE_IMPORT, ImportMode.CHOICES)
        if moved:
            return moved
    return render(request, "venues/import.html", {"result": result, "error": error, **page_context()})


def list_url() -> str:
    return reverse("venues:list")
