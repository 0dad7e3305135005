"""Site plan pages (厂区风险四色分布图) and their API (/api/v1/site-plans).

The plan page shows the image with a marker per placed risk point, coloured by the point's current
level, a legend with counts by level and the list of points; the enterprise's own managers switch it
to editing (static/js/site_plan.js): tap a point in the list, tap the plan to place it, drag a marker
to move it, remove it from the list. Each change is saved at once by PUT …/placements (the whole set).

Wire `urlpatterns` into anquan/risk/urls.py and `api_router` into anquan/api.py."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.core.contract import Page, PageParams, errors, page, responses
from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import file_response

from . import site_plans
from .choices import LEVEL_COLOURS, RiskLevel
from .models import RiskPoint, SitePlan
from .schemas import ID_MAX, Id, SitePlanOut, SitePlanSummaryOut, Uscc, max_len, page_id

UNASSESSED_COLOUR = "#6c757d"


def _plans(user):
    return restrict(SitePlan, user).select_related("enterprise")


def _image_url(plan: SitePlan) -> str:
    return reverse("api:site_plan_image", kwargs={"plan_id": plan.pk})


def plan_out(plan: SitePlan, user) -> dict:
    """The plan with its placements (each with the point's current level) and the counts by level,
    as far as `user` may see the placed points."""
    placements = site_plans.placements_of(plan, user)
    return {
        "id": plan.pk,
        "enterprise": plan.enterprise.uscc,
        "enterprise_name": plan.enterprise.name,
        "name": plan.name,
        "width": plan.width,
        "height": plan.height,
        "image_url": _image_url(plan),
        "created_at": plan.created_at.isoformat(),
        "placements": [
            {
                "point": p.point_id,
                "point_name": p.point.name,
                "x": p.x,
                "y": p.y,
                "level": p.point.current_level or None,
                "url": reverse("risk:point", args=[p.point_id]),
            }
            for p in placements
        ],
        "counts": site_plans.counts_by_level(placements),
    }


def _legend(counts: dict) -> list[dict]:
    labels = dict(RiskLevel.choices)
    return [
        {
            "level": level,
            "label": labels.get(level, _("Not assessed")),
            "colour": LEVEL_COLOURS.get(level, UNASSESSED_COLOUR),
            "count": counts[level],
        }
        for level in site_plans.LEVEL_KEYS
    ]


# --- pages ------------------------------------------------------------------------------------------


@login_required
def plan_list(request):
    """Plans in the user's scope (?enterprise=ID narrows); the enterprise's managers upload here."""
    user = request.user
    qs = _plans(user)
    enterprise = page_id(request.GET.get("enterprise", ""))
    if enterprise:
        qs = qs.filter(enterprise_id=enterprise)
    can_upload = bool(user.enterprise_id) and site_plans.can_edit(user, user.enterprise_id)
    errors, values, status = {}, {}, 200
    if request.method == "POST":
        values = {"name": request.POST.get("name", "").strip()}

        def create():
            plan = site_plans.upload_plan(values, request.FILES.get("file"), actor=user)
            return 201, {"id": plan.pk}

        try:
            _status, body = run_once(request, "risk.site_plan", request.POST.get("form_key") or None, create)
        except (ValidationFailed, NotPermitted) as exc:
            errors, status = _errors(exc), 403 if isinstance(exc, NotPermitted) else 422
        else:
            messages.success(request, _("Site plan uploaded; now place the risk points on it."))
            return redirect("risk:site_plan", pk=body["id"])
    return render(
        request,
        "risk/site_plan_list.html",
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
def plan_detail(request, pk):
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    data = plan_out(plan, user)
    placed = {p["point"] for p in data["placements"]}
    points = [
        {
            "id": p.pk,
            "name": p.name,
            "level": p.current_level or None,
            "url": reverse("risk:point", args=[p.pk]),
            "placed": p.pk in placed,
        }
        for p in restrict(RiskPoint, user).filter(enterprise_id=plan.enterprise_id).order_by("name", "id")
    ]
    return render(
        request,
        "risk/site_plan.html",
        {
            "plan": plan,
            "data": data,
            "points": points,
            "unplaced": [p for p in points if not p["placed"]],
            "legend": _legend(data["counts"]),
            "colours": {**LEVEL_COLOURS, "none": UNASSESSED_COLOUR},
            "can_edit": site_plans.can_edit(user, plan.enterprise_id),
            "other_plans": _plans(user).filter(enterprise_id=plan.enterprise_id).exclude(pk=plan.pk),
        },
    )


@login_required
@require_POST
def plan_delete(request, pk):
    plan = get_in_scope(_plans(request.user), request.user, pk=pk)
    try:
        site_plans.delete_plan(plan, actor=request.user)
    except NotPermitted as exc:
        messages.error(request, exc.message)
        return redirect("risk:site_plan", pk=pk)
    messages.success(request, _("Site plan deleted."))
    return redirect("risk:site_plans")


urlpatterns = [
    path("plans/", plan_list, name="site_plans"),
    path("plans/<int:pk>/", plan_detail, name="site_plan"),
    path("plans/<int:pk>/delete/", plan_delete, name="site_plan_delete"),
]


# --- API (/api/v1/site-plans): wire with `api.add_router("/", site_plan_views.api_router)` ---------------

api_router = Router(tags=["risk"])


class PlanFilters(Schema):
    enterprise: Uscc | None = Field(None, description="USCC")


class SitePlanPlacementIn(Schema):
    point: int = Field(ge=1, le=ID_MAX, description="risk point id (of the plan's enterprise)")
    x: float = Field(
        ge=0, le=1, allow_inf_nan=False, description="0–1: fraction of the image width from its left edge"
    )
    y: float = Field(
        ge=0, le=1, allow_inf_nan=False, description="0–1: fraction of the image height from its top edge"
    )


class SitePlanPlacementsIn(Schema):
    placements: list[SitePlanPlacementIn] = Field(
        max_length=site_plans.MAX_PLACEMENTS, description="the whole set; points left out are removed"
    )


def _summary(plan: SitePlan) -> dict:
    return {
        "id": plan.pk,
        "enterprise": plan.enterprise.uscc,
        "enterprise_name": plan.enterprise.name,
        "name": plan.name,
        "width": plan.width,
        "height": plan.height,
        "image_url": _image_url(plan),
        "created_at": plan.created_at.isoformat(),
    }


@api_router.get("/site-plans", response=responses(Page[SitePlanSummaryOut]))
def api_list_plans(request, filters: Query[PlanFilters], paging: Query[PageParams]):
    qs = _plans(request.user)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    return page(qs, paging, _summary)


class SitePlanUploadIn(Schema):
    name: str = Field(max_length=max_len(SitePlan, "name"), description="e.g. 厂区总平面布置图")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


@api_router.post("/site-plans", response=responses({201: SitePlanOut}, 400, 403, 409, 413, 415))
def api_upload_plan(request, form: Form[SitePlanUploadIn], file: File[UploadedFile]):
    """Upload a site plan image (multipart: `name`, `file` PNG or JPEG) for the caller's own enterprise."""

    def create():
        plan = site_plans.upload_plan({"name": form.name}, file, actor=request.user)
        return 201, plan_out(get_in_scope(_plans(request.user), request.user, pk=plan.pk), request.user)

    status, body = run_once(request, "risk.site_plan", key_from(request, form.idempotency_key), create)
    return Status(status, body)


@api_router.get("/site-plans/{plan_id}", response=responses(SitePlanOut, 404))
def api_get_plan(request, plan_id: Id):
    """The plan with its placements, each with the point's current level (null = not assessed), and
    the number of placed points per level (`none` = not assessed)."""
    return plan_out(get_in_scope(_plans(request.user), request.user, pk=plan_id), request.user)


@api_router.put(
    "/site-plans/{plan_id}/placements",
    response=responses(SitePlanOut, 400, 403, 404, 409, 415),
    url_name="site_plan_placements",
)
def api_replace_placements(request, plan_id: Id, payload: SitePlanPlacementsIn):
    """Replace the plan's placements with the given set (422 for coordinates outside 0–1 or points of
    another enterprise; 403 for anyone but the enterprise's own managers)."""
    plan = get_in_scope(_plans(request.user), request.user, pk=plan_id)
    site_plans.replace_placements(plan, [p.dict() for p in payload.placements], actor=request.user)
    return plan_out(plan, request.user)


@api_router.get(
    "/site-plans/{plan_id}/image",
    url_name="site_plan_image",
    response=errors(404),
    openapi_extra={
        "responses": {
            200: {
                "description": "the image",
                "content": {
                    "image/png": {"schema": {"type": "string", "format": "binary"}},
                    "image/jpeg": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def api_plan_image(request, plan_id: Id):
    """The plan image itself (PNG or JPEG)."""
    plan = get_in_scope(_plans(request.user), request.user, pk=plan_id)
    response = file_response(plan.image, content_type=plan.content_type, name=f"site_plan_{plan.pk}")
    response["Cache-Control"] = "private, max-age=3600"
    return response
