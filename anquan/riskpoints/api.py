"""Risk points (/api/v1/risk-points: points, their assessments, photos) and site plans
(/api/v1/site-plans: the plan image and the points placed on it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.contract import Page, PageParams, errors, page, responses
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import file_response
from anquan.core.xlsx import XLSX
from anquan.jobs import exports
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut
from anquan.jobs.models import JobKind
from anquan.standards import assessment
from anquan.standards.api import BandTableRef, band_table_ref, factor_field
from anquan.standards.choices import RiskLevel
from anquan.standards.schemas import (
    ID_MAX,
    Id,
    RegionCode,
    Uscc,
    max_len,
    text,
)

from . import excel, site_plans
from . import filters as point_filters
from . import services as points
from .choices import FactorKind
from .models import RiskAssessment, RiskPoint, SitePlan

router = Router(tags=["risk"])

IdempotencyKey = Annotated[str | None, Field(max_length=100, description="or the Idempotency-Key header")]


# --- risk points, assessments, installations --------------------------------------------------------


class RiskPointOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    region: str
    name: str
    kind: str
    location: str
    factor_kinds: list[str]
    accident_categories: list[str]
    responsible_person: str
    level: str | None
    next_assessment_due: str | None
    created_at: str


class ControlMeasureOut(Schema):
    id: int
    kind: str
    tier: str
    description: str
    responsible_person: str


class PointPhotoOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class RiskPointDetailOut(RiskPointOut):
    enterprise_risk_level: str | None
    measures: list[ControlMeasureOut]
    photos: list[PointPhotoOut]


class PointAssessmentOut(Schema):
    id: int
    point: int
    method: str
    factors: dict[str, str]
    score: float
    level: str
    level_label: str
    band_label: str
    band_table: BandTableRef
    residual: bool
    assessor: str
    assessed_at: str
    next_due: str | None


# --- site plans -------------------------------------------------------------------------------------


class SitePlanSummaryOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    name: str
    width: int
    height: int
    image_url: str
    created_at: str


class PlacementOut(Schema):
    point: int
    point_name: str
    x: float
    y: float
    level: str | None
    url: str


class SitePlanOut(SitePlanSummaryOut):
    placements: list[PlacementOut]
    counts: dict[str, int] = Field(description="placed points per current level; `none` = not assessed")


def _points(request: AuthedRequest) -> QuerySet[RiskPoint]:
    return (
        restrict(RiskPoint, request.user).select_related("enterprise").prefetch_related("accident_categories")
    )


def _point_out(p: RiskPoint) -> dict[str, Any]:
    return {
        "id": p.pk,
        "enterprise": p.enterprise.uscc,
        "enterprise_name": p.enterprise.name,
        "region": p.region_code,
        "name": p.name,
        "kind": p.kind,
        "location": p.location,
        "factor_kinds": p.factor_kinds,
        "accident_categories": [c.code for c in p.accident_categories.all()],
        "responsible_person": p.responsible_person,
        "level": p.current_level or None,
        "next_assessment_due": p.next_assessment_due.isoformat() if p.next_assessment_due else None,
        "created_at": p.created_at.isoformat(),
    }


def _assessment_out(a: RiskAssessment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "point": a.point_id,
        "method": a.method,
        "factors": a.factors,
        "score": float(a.score),
        "level": a.level,
        "level_label": assessment.LEVEL_LABELS[a.level],
        "band_label": a.band_label,
        "band_table": band_table_ref(a.band_table),
        "residual": a.residual,
        "assessor": a.assessor_label,
        "assessed_at": a.assessed_at.isoformat(),
        "next_due": a.next_due.isoformat() if a.next_due else None,
    }


class RiskPointIn(Schema):
    enterprise: Uscc | None = Field(None, description="USCC; default: the caller's own enterprise")
    name: str = text(RiskPoint, "name", default=...)
    kind: str = Field(max_length=max_len(RiskPoint, "kind"), description="place | installation | activity")
    location: str | None = text(RiskPoint, "location")
    factor_kinds: list[Annotated[str, Field(max_length=20)]] = Field(
        [], max_length=len(FactorKind), description="GB/T 13861: human, object, environment, management"
    )
    accident_categories: list[Annotated[str, Field(max_length=20)]] = Field(
        [], max_length=50, description="GB 6441-2025 WSA codes, e.g. WSA10009"
    )
    responsible_person: str | None = text(RiskPoint, "responsible_person")
    idempotency_key: IdempotencyKey = None


class RiskPointFilters(Schema):
    enterprise: Uscc | None = Field(None, description="USCC")
    region: RegionCode | None = Field(None, description="region code (its subtree)")
    level: RiskLevel | None = Field(None, description="red | orange | yellow | blue (current level)")
    due: Literal["overdue", "soon"] | None = Field(
        None, description="overdue | soon (re-assessment overdue, or due within 7 days)"
    )
    measures: Literal["none"] | None = Field(None, description="none: points without any control measure")


class PointAssessmentIn(Schema):
    method: str = Field(max_length=3, description="LEC | LS")
    l: Decimal | None = factor_field("LEC: 10, 6, 3, 1, 0.5, 0.2, 0.1; LS: 1–5")  # noqa: E741
    e: Decimal | None = factor_field("LEC only")
    c: Decimal | None = factor_field("LEC only")
    s: Decimal | None = factor_field("LS only")
    residual: bool = Field(False, description="assessed after the control measures")
    next_due: dt.date | None = Field(None, description="date of the next assessment: today … 10 years ahead")
    idempotency_key: IdempotencyKey = None


@router.get("/risk-points", response=responses(Page[RiskPointOut]))
def list_risk_points(
    request: AuthedRequest, filters: Query[RiskPointFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs, _errors = point_filters.apply(_points(request), filters.dict(exclude_none=True))
    return page(qs, paging, _point_out)


@router.get(
    "/risk-points/export",
    response=responses({200: None, 202: JobOut}, 400),
    openapi_extra={"responses": {200: {"description": "风险点清单（.xlsx）", "content": {XLSX: {}}}}},
)
def export_risk_points(request: AuthedRequest, filters: Query[RiskPointFilters]) -> Any:
    """The filtered list as .xlsx (the list's filters); above EXPORT_BACKGROUND_ROWS rows (5,000) 202 with a
    job to poll (`url`) whose `result_url` is the file when it is done."""
    values = filters.dict(exclude_none=True)
    qs, _errors = point_filters.apply(restrict(RiskPoint, request.user), values)
    if exports.too_large(qs):
        job = exports.submit(JobKind.RISK_POINT_EXPORT, request.user, values)
        return Status(202, job_services.out(job, api=True))
    return excel.export_response(qs, request.user, values)


@router.post("/risk-points", response=responses({201: RiskPointOut}, 400, 403, 409, 415))
def create_risk_point(request: AuthedRequest, payload: RiskPointIn) -> Status[dict[str, Any]]:
    def create() -> tuple[int, dict[str, Any]]:
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        point = points.create_point(raw, actor=request.user)
        return 201, _point_out(get_in_scope(_points(request), request.user, pk=point.pk))

    status, body = run_once(request, "risk.point", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/risk-points/{point_id}", response=responses(RiskPointDetailOut, 404))
def get_risk_point(request: AuthedRequest, point_id: Id) -> dict[str, Any]:
    point = get_in_scope(_points(request), request.user, pk=point_id)
    body = _point_out(point)
    # points.RULE_TEXT: the highest current level of its points, at least orange with an open major hazard
    body["enterprise_risk_level"] = points.enterprise_risk_level(point.enterprise) or None
    body["measures"] = [
        {
            "id": m.pk,
            "kind": m.kind,
            "tier": m.tier,
            "description": m.description,
            "responsible_person": m.responsible_person,
        }
        for m in point.measures.all()
    ]
    body["photos"] = [
        {
            "id": ph.pk,
            "name": ph.name,
            "content_type": ph.content_type,
            "size": ph.size,
            "url": reverse("riskpoints:point_photo", args=[ph.pk]),
        }
        for ph in point.photos.all()
    ]
    return body


@router.post(
    "/risk-points/{point_id}/photos", response=responses({201: PointPhotoOut}, 400, 403, 404, 409, 413, 415)
)
def upload_point_photo(
    request: AuthedRequest, point_id: Id, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """A photo of the risk point (multipart; JPG, PNG, WebP or HEIC, checked by content)."""
    point = get_in_scope(_points(request), request.user, pk=point_id)
    photo = points.add_photo(point, file, actor=request.user)
    return Status(
        201,
        {
            "id": photo.pk,
            "name": photo.name,
            "content_type": photo.content_type,
            "size": photo.size,
            "url": reverse("riskpoints:point_photo", args=[photo.pk]),
        },
    )


@router.get("/risk-points/{point_id}/assessments", response=responses(Page[PointAssessmentOut], 404))
def list_point_assessments(request: AuthedRequest, point_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    point = get_in_scope(_points(request), request.user, pk=point_id)
    return page(point.assessments.select_related("band_table"), paging, _assessment_out)


@router.post(
    "/risk-points/{point_id}/assessments",
    response=responses({201: PointAssessmentOut}, 400, 403, 404, 409, 415),
)
def assess_point(request: AuthedRequest, point_id: Id, payload: PointAssessmentIn) -> Status[dict[str, Any]]:
    point = get_in_scope(_points(request), request.user, pk=point_id)

    def create() -> tuple[int, dict[str, Any]]:
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        row = points.assess(point, raw, actor=request.user)
        return 201, _assessment_out(row)

    status, body = run_once(
        request, f"risk.assessment.{point.pk}", key_from(request, payload.idempotency_key), create
    )
    return Status(status, body)


def _plans(user: User) -> QuerySet[SitePlan]:
    return restrict(SitePlan, user).select_related("enterprise")


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


def _summary(plan: SitePlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "enterprise": plan.enterprise.uscc,
        "enterprise_name": plan.enterprise.name,
        "name": plan.name,
        "width": plan.width,
        "height": plan.height,
        "image_url": site_plans.image_url(plan),
        "created_at": plan.created_at.isoformat(),
    }


@router.get("/site-plans", response=responses(Page[SitePlanSummaryOut]))
def api_list_plans(
    request: AuthedRequest, filters: Query[PlanFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _plans(request.user)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    return page(qs, paging, _summary)


class SitePlanUploadIn(Schema):
    name: str = Field(max_length=max_len(SitePlan, "name"), description="e.g. 厂区总平面布置图")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


@router.post("/site-plans", response=responses({201: SitePlanOut}, 400, 403, 409, 413, 415))
def api_upload_plan(
    request: AuthedRequest, form: Form[SitePlanUploadIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Upload a site plan image (multipart: `name`, `file` PNG or JPEG) for the caller's own enterprise."""

    def create() -> tuple[int, dict[str, Any]]:
        plan = site_plans.upload_plan({"name": form.name}, file, actor=request.user)
        return 201, site_plans.plan_out(
            get_in_scope(_plans(request.user), request.user, pk=plan.pk), request.user
        )

    status, body = run_once(request, "risk.site_plan", key_from(request, form.idempotency_key), create)
    return Status(status, body)


@router.get("/site-plans/{plan_id}", response=responses(SitePlanOut, 404))
def api_get_plan(request: AuthedRequest, plan_id: Id) -> dict[str, Any]:
    """The plan with its placements, each with the point's current level (null = not assessed), and
    the number of placed points per level (`none` = not assessed)."""
    return site_plans.plan_out(get_in_scope(_plans(request.user), request.user, pk=plan_id), request.user)


@router.put(
    "/site-plans/{plan_id}/placements",
    response=responses(SitePlanOut, 400, 403, 404, 409, 415),
    url_name="site_plan_placements",
)
def api_replace_placements(
    request: AuthedRequest, plan_id: Id, payload: SitePlanPlacementsIn
) -> dict[str, Any]:
    """Replace the plan's placements with the given set (422 for coordinates outside 0–1 or points of
    another enterprise; 403 for anyone but the enterprise's own managers)."""
    plan = get_in_scope(_plans(request.user), request.user, pk=plan_id)
    site_plans.replace_placements(plan, [p.dict() for p in payload.placements], actor=request.user)
    return site_plans.plan_out(plan, request.user)


@router.get(
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
def api_plan_image(request: AuthedRequest, plan_id: Id) -> FileResponse:
    """The plan image itself (PNG or JPEG)."""
    plan = get_in_scope(_plans(request.user), request.user, pk=plan_id)
    response = file_response(plan.image, content_type=plan.content_type, name=f"site_plan_{plan.pk}")
    response["Cache-Control"] = "private, max-age=3600"
    return response
