"""Risk point pages: the points in the user's scope, one point (assessment history, measures, forms),
a new point, its notice card (.docx), and the site plans with the points placed on them."""

import base64
import uuid
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anquan.accidents.choices import Edition
from anquan.accidents.models import AccidentCategory
from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.idempotency import run_once
from anquan.core.paging import paginate, remember_filters
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import scoped_file
from anquan.jobs import exports
from anquan.jobs.models import JobKind
from anquan.standards import assessment, services
from anquan.standards.choices import LEVEL_COLOURS, RiskLevel
from anquan.standards.schemas import page_id

from . import cards, excel, filters, reassessment, site_plans
from . import services as points
from .choices import ControlTier, FactorKind, MeasureKind, PointKind
from .models import RiskPoint, RiskPointPhoto, SitePlan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _points(user: User) -> QuerySet[RiskPoint]:
    return restrict(RiskPoint, user).select_related("enterprise")


@login_required
@remember_filters
def point_list(request: AuthedRequest) -> HttpResponse:
    qs, errors = filters.apply(_points(request.user), request.GET)
    for error in errors:
        messages.error(request, error)
    today = timezone.localdate()
    page = paginate(request, qs)
    for point in page.object_list:
        point.due_state = reassessment.state(point, today)
    own = request.user.enterprise if request.user.enterprise_id else None
    return render(
        request,
        "riskpoints/point_list.html",
        {
            "page": page,
            "levels": RiskLevel.choices,
            "colours": LEVEL_COLOURS,
            "own": own,
            "own_level": points.enterprise_risk_level(own) if own else "",
            "rule": points.RULE_TEXT,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def point_export(request: AuthedRequest) -> HttpResponse:
    """The list as it is filtered, in Excel; a filter it cannot mean goes back to the list saying why."""
    qs, errors = filters.apply(_points(request.user), request.GET)
    if errors:
        for error in errors:
            messages.error(request, error)
        return redirect(f"{reverse('riskpoints:points')}?{request.GET.urlencode()}")
    if exports.too_large(qs):  # built by the worker; its page shows the progress, then the download
        with transaction.atomic():
            job = exports.submit(JobKind.RISK_POINT_EXPORT, request.user, request.GET.dict())
        return redirect("jobs:detail", pk=job.pk)
    return excel.export_response(qs, request.user, request.GET)


@login_required
def point_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "kinds": PointKind.choices,
        "factor_kinds": FactorKind.choices,
        "categories": AccidentCategory.objects.filter(edition=Edition.GB6441_2025),
        "own": user.enterprise if user.enterprise_id else None,
        "form_key": uuid.uuid4().hex,
        "values": {},
        "chosen": {"factor_kinds": [], "accident_categories": []},
        "errors": {},
        # an error of one of these is shown under its field, the others above the form
        "fields": ("name", "kind", "location", "responsible_person", "factor_kinds", "accident_categories")
        + (() if user.enterprise_id else ("enterprise",)),
    }
    if request.method == "POST":
        raw: dict[str, str | list[str]] = {
            k: request.POST.get(k, "").strip()
            for k in ("enterprise", "name", "kind", "location", "responsible_person")
        }
        raw["factor_kinds"] = request.POST.getlist("factor_kinds")
        raw["accident_categories"] = request.POST.getlist("accident_categories")

        def create() -> tuple[int, dict[str, Any]]:
            return 201, {"id": points.create_point(raw, actor=user).pk}

        try:
            _status, body = run_once(request, "risk.point", request.POST.get("form_key") or None, create)
        except (ValidationFailed, NotPermitted) as exc:
            context.update(
                errors=_errors(exc),
                values=raw,
                chosen={
                    "factor_kinds": raw["factor_kinds"],
                    "accident_categories": raw["accident_categories"],
                },
                form_key=request.POST.get("form_key") or context["form_key"],
            )
            return render(request, "riskpoints/point_new.html", context, status=422)
        messages.success(request, _("Risk point recorded."))
        return redirect("riskpoints:point", pk=body["id"])
    return render(request, "riskpoints/point_new.html", context)


@login_required
def point_detail(
    request: AuthedRequest,
    pk: int,
    errors: dict[str, str] | None = None,
    posted: Mapping[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    point = get_in_scope(_points(request.user).prefetch_related("accident_categories"), request.user, pk=pk)
    methods = []  # the assessment forms: each method with the active table's allowed factor values
    for method in assessment.METHODS:
        try:
            table = services.active_table(method, point.region_code)
        except LookupError:
            continue
        values: dict[str, list[tuple[str, str]]] = {}
        for fv in table.factor_values.all():
            values.setdefault(fv.factor, []).append((assessment.fmt(fv.value), fv.label))
        factors = [
            (f.lower(), assessment.FACTOR_NAMES[method][f], values.get(f, []))
            for f in assessment.FACTORS[method]
        ]
        methods.append((method, table, factors))
    return render(
        request,
        "riskpoints/point_detail.html",
        {
            "p": point,
            # the public page its card's QR code opens (public.py), linked and previewed as that code
            "public_url": (public_url := cards.point_url(point, request.build_absolute_uri("/"))),
            "public_qr": "data:image/png;base64," + base64.b64encode(cards.qr_png(public_url)).decode(),
            "assessments": point.assessments.select_related("band_table"),
            "measures": point.measures.all(),
            "can_write": points.can_write(request.user, point.enterprise),
            "enterprise_level": points.enterprise_risk_level(point.enterprise),
            "rule": points.RULE_TEXT,
            "colours": LEVEL_COLOURS,
            "methods": methods,
            "measure_kinds": MeasureKind.choices,
            "tiers": ControlTier.choices,
            "errors": errors or {},
            "posted": posted or {},
        },
        status=status,
    )


@login_required
@require_POST
def point_assess(request: AuthedRequest, pk: int) -> HttpResponse:
    point = get_in_scope(_points(request.user), request.user, pk=pk)
    method = request.POST.get("method", "")
    raw = {
        "method": method,
        "next_due": request.POST.get("next_due", ""),
        "residual": request.POST.get("residual"),
    }
    for factor in assessment.FACTORS.get(method.upper(), ()):
        raw[factor.lower()] = request.POST.get(f"{method.lower()}_{factor.lower()}", "")
    try:
        points.assess(point, raw, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return point_detail(request, pk, errors=_errors(exc), posted=request.POST, status=422)
    messages.success(request, _("Assessment recorded."))
    return redirect("riskpoints:point", pk=pk)


@login_required
@require_POST
def point_measure(request: AuthedRequest, pk: int) -> HttpResponse:
    point = get_in_scope(_points(request.user), request.user, pk=pk)
    raw = {k: request.POST.get(k, "") for k in ("kind", "tier", "description", "responsible_person")}
    try:
        points.add_measure(point, raw, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return point_detail(request, pk, errors=_errors(exc), posted=request.POST, status=422)
    messages.success(request, _("Measure recorded."))
    return redirect("riskpoints:point", pk=pk)


@login_required
@require_POST
def point_photo_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    point = get_in_scope(_points(request.user), request.user, pk=pk)
    uploads = request.FILES.getlist("photos")
    if not uploads:
        return point_detail(request, pk, errors={"file": _("Choose at least one photo.")}, status=422)
    try:
        with transaction.atomic():  # all or none of the chosen photos
            for upload in uploads:
                points.add_photo(point, upload, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return point_detail(request, pk, errors=_errors(exc), status=422)
    messages.success(request, _("Photos added."))
    return redirect("riskpoints:point", pk=pk)


@login_required
def point_photo(request: AuthedRequest, pk: int) -> FileResponse:
    return scoped_file(request.user, RiskPointPhoto, pk)


@login_required
@require_GET
def risk_card(request: AuthedRequest, pk: int) -> HttpResponse:
    """风险告知卡-<point>.docx; 404 for a point outside the user's scope."""
    point = get_in_scope(RiskPoint.objects.select_related("enterprise"), request.user, pk=pk)
    body = cards.build(point, request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type=DOCX)
    disposition = content_disposition_header(True, cards.filename(point))
    assert disposition is not None  # always a header for an attachment
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response


def _plans(user: User) -> QuerySet[SitePlan]:
    return restrict(SitePlan, user).select_related("enterprise")


# --- pages ------------------------------------------------------------------------------------------


@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    """Plans in the user's scope (?enterprise=ID narrows); the enterprise's managers upload here."""
    user = request.user
    qs = _plans(user)
    enterprise = page_id(request.GET.get("enterprise", ""))
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    can_upload = user.enterprise_id is not None and site_plans.can_edit(user, user.enterprise_id)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {"name": request.POST.get("name", "").strip()}

        def create() -> tuple[int, dict[str, Any]]:
            plan = site_plans.upload_plan(values, request.FILES.get("file"), actor=user)
            return 201, {"id": plan.pk}

        try:
            _status, body = run_once(request, "risk.site_plan", request.POST.get("form_key") or None, create)
        except (ValidationFailed, NotPermitted) as exc:
            errors, status = _errors(exc), 403 if isinstance(exc, NotPermitted) else 422
        else:
            messages.success(request, _("Site plan uploaded; now place the risk points on it."))
            return redirect("riskpoints:site_plan", pk=body["id"])
    return render(
        request,
        "riskpoints/site_plan_list.html",
        {
            "plans": qs.annotate(placed=Count("placements")).order_by("enterprise__name", "name", "id")[:200],
            "can_upload": can_upload,
            "errors": errors,
            "values": values,
            "form_key": request.POST.get("form_key") or uuid.uuid4().hex,
        },
        status=status,
    )


@login_required
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    data = site_plans.plan_out(plan, user)
    placed = {p["point"] for p in data["placements"]}
    points = [
        {
            "id": p.pk,
            "name": p.name,
            "level": p.current_level or None,
            "url": reverse("riskpoints:point", args=[p.pk]),
            "placed": p.pk in placed,
        }
        for p in restrict(RiskPoint, user).filter(enterprise_id=plan.enterprise_id).order_by("name", "id")
    ]
    return render(
        request,
        "riskpoints/site_plan.html",
        {
            "plan": plan,
            "data": data,
            "points": points,
            "unplaced": [p for p in points if not p["placed"]],
            "legend": site_plans.legend(data["counts"]),
            "colours": {**LEVEL_COLOURS, "none": site_plans.UNASSESSED_COLOUR},
            "can_edit": site_plans.can_edit(user, plan.enterprise_id),
            "other_plans": _plans(user).filter(enterprise_id=plan.enterprise_id).exclude(pk=plan.pk),
        },
    )


@login_required
@require_POST
def plan_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_in_scope(_plans(request.user), request.user, pk=pk)
    try:
        site_plans.delete_plan(plan, actor=request.user)
    except NotPermitted as exc:
        messages.error(request, exc.message)
        return redirect("riskpoints:site_plan", pk=pk)
    messages.success(request, _("Site plan deleted."))
    return redirect("riskpoints:site_plans")
