"""Calculation tools under /api/v1/tools: LEC / LS scoring and GB 18218 major hazard identification,
plus the risk band tables they use (list, any version by id, new version by an administrator).

Numbers: decisions (band, is_major, grade) are taken on exact values; the JSON floats s, r and
ratio are those exact values cut (not rounded) to 4 decimal places, so a shown value never crosses a
threshold the exact one did not (S shown as 1.0 ⇔ S ≥ 1; R shown as 100.0 ⇔ R ≥ 100).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict, within

from . import assessment, gb18218, installations, points, reassessment, services
from .choices import FactorKind, RiskLevel
from .exact import cut4
from .models import (
    InstallationSubstance,
    MajorHazardInstallation,
    RiskAssessment,
    RiskBand,
    RiskBandTable,
    RiskFactorValue,
    RiskPoint,
)
from .schemas import (
    EXPOSED_PERSONS_MAX,
    FACTOR_MAX,
    PROVINCE_PATTERN,
    QUANTITY_MAX_T,
    SCORE_MAX,
    SUBSTANCES_MAX,
    BandTableOut,
    Id,
    InstallationOut,
    MajorHazardOut,
    PointAssessmentOut,
    PointPhotoOut,
    RegionCode,
    RiskAssessmentOut,
    RiskPointDetailOut,
    RiskPointOut,
    Uscc,
    max_len,
    text,
)

tools_router = Router(tags=["tools"])

IdempotencyKey = Annotated[str | None, Field(max_length=100, description="or the Idempotency-Key header")]


def _quantity():
    return Field(None, gt=0, le=QUANTITY_MAX_T, description="design maximum quantity q in tonnes (4.2.2)")


def _exposed_persons():
    return Field(
        None,
        ge=0,
        le=EXPOSED_PERSONS_MAX,
        description="resident population within 500 m of the boundary (表5); needed for grading",
    )


# --- risk assessment ----------------------------------------------------------------------------


def _factor(description: str):
    """A factor value: the band table in force says which values exist (assessment.assess)."""
    return Field(None, ge=0, le=FACTOR_MAX, description=description)


class RiskAssessmentIn(Schema):
    method: str = Field(max_length=3, description="LEC | LS")
    l: Decimal | None = _factor("LEC: 10, 6, 3, 1, 0.5, 0.2, 0.1; LS: 1–5")  # noqa: E741
    e: Decimal | None = _factor("LEC only: 10, 6, 3, 2, 1, 0.5")
    c: Decimal | None = _factor("LEC only: 100, 40, 15, 7, 3, 1")
    s: Decimal | None = _factor("LS only: 1–5")
    region: RegionCode | None = Field(
        None, description="region code whose province's band table applies; default: the caller's"
    )
    band_table: Id | None = Field(
        None, description="id of a specific band table version (e.g. to re-check an old assessment)"
    )


def _table_for(request, payload: RiskAssessmentIn) -> RiskBandTable:
    if payload.band_table is not None:
        try:
            return services.get_table(payload.band_table)
        except RiskBandTable.DoesNotExist:
            raise ValidationFailed([FieldError("band_table", "not_found", "该风险分级表不存在")]) from None
    region = payload.region
    if region is None:
        region = getattr(request.user, "region_code", "") or ""
    return services.active_table(payload.method, region)


def _ref(table: RiskBandTable) -> dict:
    return {
        "id": table.pk,
        "method": table.method,
        "code": table.code,
        "name": table.name,
        "version": table.version,
        "region_code": table.region_code,
        "verified": table.verified,
    }


@tools_router.post("/risk-assessment", response=responses(RiskAssessmentOut, 400, 415))
def risk_assessment(request, payload: RiskAssessmentIn):
    """LEC: D = L×E×C; LS: R = L×S. The level comes from the band table in force for the province
    (or the one named by `band_table`); bands are min inclusive, max exclusive."""
    method = (payload.method or "").strip().upper()
    if method not in assessment.METHODS:
        raise ValidationFailed([FieldError("method", "invalid_choice", "评价方法须为 LEC 或 LS")])
    unused = [f for f in ("e", "c") if method == assessment.LS and getattr(payload, f) is not None]
    unused += ["s"] if method == assessment.LEC and payload.s is not None else []
    if unused:
        raise ValidationFailed(
            [FieldError(f, "not_applicable", f"{method} 法没有因子 {f.upper()}") for f in unused]
        )
    payload.method = method
    table = _table_for(request, payload)
    result = assessment.assess(
        method,
        {"l": payload.l, "e": payload.e, "c": payload.c, "s": payload.s},
        services.to_band_table(table),
    )
    return {
        "score": float(result.score),
        "level": result.level,
        "level_label": assessment.LEVEL_LABELS[result.level],
        "band_label": result.band.label,
        "band_table": _ref(table),
    }


# --- GB 18218 -----------------------------------------------------------------------------------


Symbol = Annotated[str, Field(max_length=10)]
Categories = Annotated[str, Field(max_length=100)] | Annotated[list[Symbol], Field(max_length=20)] | None


def _category():
    return Field(
        None,
        description="表2 symbol(s), e.g. W2 (a list, or one string with commas); required outside 表1; "
        "several → lowest Q (4.1.2)",
    )


class GB18218SubstanceIn(Schema):
    """One substance of the unit (the tool and installations share it)."""

    name: str | None = text(
        InstallationSubstance, "name", "GB 18218-2018 表1 name or alias, or any name with `category`"
    )
    cas: str | None = text(InstallationSubstance, "cas")
    quantity_t: Decimal | None = _quantity()
    category: Categories = _category()


class MajorHazardIn(Schema):
    unit_type: str = Field(max_length=20, description="production | storage (4.1.1)")
    substances: list[GB18218SubstanceIn] = Field(min_length=1, max_length=SUBSTANCES_MAX)
    exposed_persons: int | None = _exposed_persons()


@tools_router.post("/major-hazard-identification", response=responses(MajorHazardOut, 400, 415))
def major_hazard_identification(request, payload: MajorHazardIn):
    """GB 18218-2018: S = Σ qᵢ/Qᵢ ≥ 1 → major hazard installation (4.2.1); R = α·Σ βᵢ·qᵢ/Qᵢ → grade (4.3)."""
    substances = [
        gb18218.SubstanceIn(
            quantity_t=s.quantity_t,
            name=s.name,
            cas=s.cas,
            categories=tuple([s.category] if isinstance(s.category, str) else (s.category or ())),
        )
        for s in payload.substances
    ]
    result = gb18218.identify(
        payload.unit_type, substances, payload.exposed_persons, held=services.held_categories()
    )
    return {
        "s": cut4(result.s),
        "is_major": result.is_major,
        "alpha": float(result.alpha) if result.alpha is not None else None,
        "r": cut4(result.r) if result.r is not None else None,
        "grade": result.grade,
        "lines": [
            {
                "substance": line.substance,
                "table1_no": line.table1_no,
                "cas": line.cas,
                "category": list(line.categories),
                "q": float(line.q),
                "Q": float(line.critical_t),
                "beta": float(line.beta) if line.beta is not None else None,
                "beta_source": line.beta_source,
                "ratio": cut4(line.ratio),
            }
            for line in result.lines
        ],
    }


# --- band tables --------------------------------------------------------------------------------


Score = Annotated[Decimal, Field(ge=0, le=SCORE_MAX)]


class ScaleValueIO(Schema):
    value: Decimal = Field(gt=0, le=FACTOR_MAX)
    label: str = text(RiskFactorValue, "label", default="")


class BandIO(Schema):
    min_score: Score
    max_score: Score | None = None
    level: str = Field(max_length=10, description="red | orange | yellow | blue")
    label: str = text(RiskBand, "label", default="")


class BandTableIn(Schema):
    method: str = Field(max_length=3, description="LEC | LS")
    region: str = Field(
        "", max_length=6, pattern=PROVINCE_PATTERN, description="province code; empty = the national default"
    )
    code: str = text(RiskBandTable, "code", default=...)
    name: str = text(RiskBandTable, "name", default=...)
    source: str = Field(max_length=services.TEXT_MAX)
    verified: bool = False
    verification_note: str = Field("", max_length=services.TEXT_MAX)
    comment: str = Field("", max_length=services.TEXT_MAX)
    bands: list[BandIO] = Field(min_length=1, max_length=20)
    factors: (
        dict[Annotated[str, Field(max_length=1)], Annotated[list[ScaleValueIO], Field(max_length=50)]] | None
    ) = Field(None, description="allowed factor values; default: those of the table in force")
    idempotency_key: IdempotencyKey = None


class BandTableFilters(Schema):
    method: Literal["LEC", "LS"] | None = None
    region: str | None = Field(
        None,
        max_length=6,
        pattern=PROVINCE_PATTERN,
        description="province code, or empty for national defaults only",
    )
    include_inactive: bool = False


def _table_out(table: RiskBandTable) -> dict:
    factors: dict[str, list[dict]] = {}
    for fv in table.factor_values.all():
        factors.setdefault(fv.factor, []).append({"value": float(fv.value), "label": fv.label})
    return {
        **_ref(table),
        "active": table.active,
        "source": table.source,
        "verification_note": table.verification_note,
        "endpoint_convention": table.endpoint_convention,
        "supersedes": table.supersedes_id,
        "created_by": table.created_by.username if table.created_by_id else None,
        "created_at": table.created_at.isoformat(),
        "factors": factors,
        "bands": [
            {
                "min_score": float(b.min_score),
                "max_score": None if b.max_score is None else float(b.max_score),
                "level": b.level,
                "label": b.label,
            }
            for b in table.bands.all()
        ],
    }


@tools_router.get("/risk-band-tables", response=responses(Page[BandTableOut]))
def list_band_tables(request, filters: Query[BandTableFilters], paging: Query[PageParams]):
    """The active band tables (national defaults and provincial ones); `include_inactive` adds old versions."""
    qs = RiskBandTable.objects.select_related("created_by").prefetch_related("factor_values", "bands")
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    if filters.method:
        qs = qs.filter(method=filters.method)
    if filters.region is not None:
        qs = qs.filter(region_code=filters.region)
    return page(qs, paging, _table_out)


@tools_router.get("/risk-band-tables/{table_id}", response=responses(BandTableOut, 404))
def get_band_table(request, table_id: Id):
    """Any version, also a superseded one, so an old assessment can be explained."""
    try:
        return _table_out(services.get_table(table_id))
    except RiskBandTable.DoesNotExist:
        raise Http404 from None


@tools_router.post("/risk-band-tables", response=responses({201: BandTableOut}, 400, 403, 409, 415))
def create_band_table(request, payload: BandTableIn):
    """A new version for a province (or the national default), replacing the active one; audited."""

    def create():
        table = services.set_band_table(
            method=payload.method.strip().upper(),
            region_code=payload.region.strip(),
            code=payload.code,
            name=payload.name,
            source=payload.source,
            verified=payload.verified,
            verification_note=payload.verification_note,
            comment=payload.comment,
            bands=[assessment.Band(b.min_score, b.max_score, b.level, b.label) for b in payload.bands],
            factors=None
            if payload.factors is None
            else {
                f.upper(): tuple(assessment.ScaleValue(v.value, v.label) for v in values)
                for f, values in payload.factors.items()
            },
            actor=request.user,
        )
        return 201, _table_out(services.get_table(table.pk))  # JSON-native: stored for idempotent replays

    status, body = run_once(request, "risk.band_table", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


# --- risk points and major hazard installations (/api/v1/risk-points, /major-hazard-installations) ---

router = Router(tags=["risk"])


def _points(request):
    return (
        restrict(RiskPoint, request.user).select_related("enterprise").prefetch_related("accident_categories")
    )


def _point_out(p: RiskPoint) -> dict:
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


def _assessment_out(a: RiskAssessment) -> dict:
    return {
        "id": a.pk,
        "point": a.point_id,
        "method": a.method,
        "factors": a.factors,
        "score": float(a.score),
        "level": a.level,
        "level_label": assessment.LEVEL_LABELS[a.level],
        "band_label": a.band_label,
        "band_table": _ref(a.band_table),
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
    l: Decimal | None = _factor("LEC: 10, 6, 3, 1, 0.5, 0.2, 0.1; LS: 1–5")  # noqa: E741
    e: Decimal | None = _factor("LEC only")
    c: Decimal | None = _factor("LEC only")
    s: Decimal | None = _factor("LS only")
    residual: bool = Field(False, description="assessed after the control measures")
    next_due: dt.date | None = Field(None, description="date of the next assessment: today … 10 years ahead")
    idempotency_key: IdempotencyKey = None


@router.get("/risk-points", response=responses(Page[RiskPointOut]))
def list_risk_points(request, filters: Query[RiskPointFilters], paging: Query[PageParams]):
    qs = _points(request)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    if filters.region:
        qs = qs.filter(within(filters.region))
    if filters.level:
        qs = qs.filter(current_level=filters.level)
    if filters.measures:
        qs = points.without_measures(qs)
    if filters.due:
        qs = reassessment.filter_due(qs, filters.due, timezone.localdate()).order_by(
            "next_assessment_due", "id"
        )
    return page(qs, paging, _point_out)


@router.post("/risk-points", response=responses({201: RiskPointOut}, 400, 403, 409, 415))
def create_risk_point(request, payload: RiskPointIn):
    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        point = points.create_point(raw, actor=request.user)
        return 201, _point_out(get_in_scope(_points(request), request.user, pk=point.pk))

    status, body = run_once(request, "risk.point", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/risk-points/{point_id}", response=responses(RiskPointDetailOut, 404))
def get_risk_point(request, point_id: Id):
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
            "url": reverse("risk:point_photo", args=[ph.pk]),
        }
        for ph in point.photos.all()
    ]
    return body


@router.post(
    "/risk-points/{point_id}/photos", response=responses({201: PointPhotoOut}, 400, 403, 404, 409, 413, 415)
)
def upload_point_photo(request, point_id: Id, file: File[UploadedFile]):
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
            "url": reverse("risk:point_photo", args=[photo.pk]),
        },
    )


@router.get("/risk-points/{point_id}/assessments", response=responses(Page[PointAssessmentOut], 404))
def list_point_assessments(request, point_id: Id, paging: Query[PageParams]):
    point = get_in_scope(_points(request), request.user, pk=point_id)
    return page(point.assessments.select_related("band_table"), paging, _assessment_out)


@router.post(
    "/risk-points/{point_id}/assessments",
    response=responses({201: PointAssessmentOut}, 400, 403, 404, 409, 415),
)
def assess_point(request, point_id: Id, payload: PointAssessmentIn):
    point = get_in_scope(_points(request), request.user, pk=point_id)

    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        row = points.assess(point, raw, actor=request.user)
        return 201, _assessment_out(row)

    status, body = run_once(
        request, f"risk.assessment.{point.pk}", key_from(request, payload.idempotency_key), create
    )
    return Status(status, body)


def _person(field: str):
    return text(MajorHazardInstallation, field)


class InstallationIn(Schema):
    enterprise: Uscc | None = Field(None, description="USCC; default: the caller's own enterprise")
    name: str = text(MajorHazardInstallation, "name", default=...)
    unit_type: str = Field(max_length=20, description="production | storage")
    exposed_persons: int | None = _exposed_persons()
    substances: list[GB18218SubstanceIn] = Field(min_length=1, max_length=SUBSTANCES_MAX)
    principal_name: str | None = _person("principal_name")
    principal_phone: str | None = _person("principal_phone")
    technical_name: str | None = _person("technical_name")
    technical_phone: str | None = _person("technical_phone")
    operational_name: str | None = _person("operational_name")
    operational_phone: str | None = _person("operational_phone")
    idempotency_key: IdempotencyKey = None


class InstallationFilters(Schema):
    enterprise: Uscc | None = Field(None, description="USCC")
    region: RegionCode | None = Field(None, description="region code (its subtree)")
    grade: int | None = Field(None, ge=1, le=4, description="1–4")
    is_major: bool | None = None
    persons_incomplete: bool | None = Field(
        None, description="major installations whose 包保责任人 lack a name or phone"
    )


def _installations(request):
    return (
        restrict(MajorHazardInstallation, request.user)
        .select_related("enterprise")
        .prefetch_related("substances")
    )


def _installation_out(i: MajorHazardInstallation) -> dict:
    return {
        "id": i.pk,
        "enterprise": i.enterprise.uscc,
        "enterprise_name": i.enterprise.name,
        "region": i.region_code,
        "name": i.name,
        "unit_type": i.unit_type,
        "exposed_persons": i.exposed_persons,
        "substances": [
            {"name": s.name, "cas": s.cas, "quantity_t": float(s.quantity_t), "category": s.categories}
            for s in i.substances.all()
        ],
        "s": float(i.s),
        "is_major": i.is_major,
        "alpha": float(i.alpha) if i.alpha is not None else None,
        "r": float(i.r) if i.r is not None else None,
        "grade": i.grade,
        "computation": i.computation,
        "accountable_persons": {
            p: {"name": getattr(i, f"{p}_name"), "phone": getattr(i, f"{p}_phone")}
            for p in installations.PERSONS
        },
        "required_sensors": i.required_sensors,
        "updated_at": i.updated_at.isoformat(),
    }


@router.get("/major-hazard-installations", response=responses(Page[InstallationOut]))
def list_installations(request, filters: Query[InstallationFilters], paging: Query[PageParams]):
    qs = _installations(request)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    if filters.region:
        qs = qs.filter(within(filters.region))
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.is_major is not None:
        qs = qs.filter(is_major=filters.is_major)
    if filters.persons_incomplete is not None:
        incomplete = installations.persons_incomplete()
        qs = qs.filter(incomplete) if filters.persons_incomplete else qs.exclude(incomplete)
    return page(qs, paging, _installation_out)


@router.post("/major-hazard-installations", response=responses({201: InstallationOut}, 400, 403, 409, 415))
def create_installation(request, payload: InstallationIn):
    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        inst = installations.create_installation(raw, actor=request.user)
        return 201, _installation_out(get_in_scope(_installations(request), request.user, pk=inst.pk))

    status, body = run_once(request, "risk.installation", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/major-hazard-installations/{installation_id}", response=responses(InstallationOut, 404))
def get_installation(request, installation_id: Id):
    return _installation_out(get_in_scope(_installations(request), request.user, pk=installation_id))
