"""Calculation tools under /api/v1/tools: LEC / LS scoring and GB 18218 major hazard identification,
plus the risk band tables they use (list, any version by id, new version by an administrator).

Numbers: decisions (band, is_major, grade) are taken on exact values; the JSON floats s, r and
ratio are those exact values cut (not rounded) to 4 decimal places, so a shown value never crosses a
threshold the exact one did not (S shown as 1.0 ⇔ S ≥ 1; R shown as 100.0 ⇔ R ≥ 100).
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.scope import get_in_scope, restrict, within
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once

from . import assessment, gb18218, installations, points, reassessment, services
from .choices import RiskLevel
from .exact import cut4
from .models import MajorHazardInstallation, RiskAssessment, RiskBandTable, RiskPoint

tools_router = Router(tags=["tools"])

REGION_RE = re.compile(r"^\d{6}(\d{3}(\d{3})?)?$")


# --- risk assessment ----------------------------------------------------------------------------


class RiskAssessmentIn(Schema):
    method: str = Field(description="LEC | LS")
    l: Decimal | None = Field(None, description="LEC: 10, 6, 3, 1, 0.5, 0.2, 0.1; LS: 1–5")  # noqa: E741
    e: Decimal | None = Field(None, description="LEC only: 10, 6, 3, 2, 1, 0.5")
    c: Decimal | None = Field(None, description="LEC only: 100, 40, 15, 7, 3, 1")
    s: Decimal | None = Field(None, description="LS only: 1–5")
    region: str | None = Field(
        None, description="region code whose province's band table applies; default: the caller's"
    )
    band_table: int | None = Field(
        None, description="id of a specific band table version (e.g. to re-check an old assessment)"
    )


class BandTableRef(Schema):
    id: int
    method: str
    code: str
    name: str
    version: int
    region_code: str
    verified: bool


class RiskAssessmentOut(Schema):
    score: float
    level: str
    level_label: str
    band_label: str
    band_table: BandTableRef


def _table_for(request, payload: RiskAssessmentIn) -> RiskBandTable:
    if payload.band_table is not None:
        try:
            return services.get_table(payload.band_table)
        except RiskBandTable.DoesNotExist:
            raise ValidationFailed([FieldError("band_table", "not_found", "该风险分级表不存在")]) from None
    region = payload.region
    if region is not None and not REGION_RE.match(region):
        raise ValidationFailed([FieldError("region", "invalid", "区划代码须为 6、9 或 12 位数字")])
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


@tools_router.post("/risk-assessment", response=RiskAssessmentOut)
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


class SubstanceIn(Schema):
    name: str | None = Field(None, description="GB 18218-2018 表1 name or alias, or any name with `category`")
    cas: str | None = None
    quantity_t: Decimal | None = Field(None, description="design maximum quantity q in tonnes (4.2.2)")
    category: str | list[str] | None = Field(
        None, description="表2 symbol(s), e.g. W2; required outside 表1; several → lowest Q (4.1.2)"
    )


class MajorHazardIn(Schema):
    unit_type: str | None = Field(None, description="production | storage (4.1.1)")
    substances: list[SubstanceIn] | None = None
    exposed_persons: int | None = Field(
        None, description="resident population within 500 m of the boundary (表5); needed for grading"
    )


class LineOut(Schema):
    substance: str
    table1_no: int | None
    cas: str | None
    category: list[str]
    q: float
    Q: float
    beta: float | None
    beta_source: str | None = Field(description="table3 | request | catalogue | catalogue_unverified")
    ratio: float


class MajorHazardOut(Schema):
    s: float
    is_major: bool
    alpha: float | None
    r: float | None
    grade: int | None = Field(description="1 一级 … 4 四级 (表6); null when not a major hazard installation")
    lines: list[LineOut]


@tools_router.post("/major-hazard-identification", response=MajorHazardOut)
def major_hazard_identification(request, payload: MajorHazardIn):
    """GB 18218-2018: S = Σ qᵢ/Qᵢ ≥ 1 → major hazard installation (4.2.1); R = α·Σ βᵢ·qᵢ/Qᵢ → grade (4.3)."""
    substances = [
        gb18218.SubstanceIn(
            quantity_t=s.quantity_t,
            name=s.name,
            cas=s.cas,
            categories=tuple([s.category] if isinstance(s.category, str) else (s.category or ())),
        )
        for s in payload.substances or ()
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


class ScaleValueIO(Schema):
    value: Decimal
    label: str = ""


class BandIO(Schema):
    min_score: Decimal
    max_score: Decimal | None = None
    level: str
    label: str = ""


class ScaleValueOut(Schema):
    value: float
    label: str


class BandOut(Schema):
    min_score: float
    max_score: float | None
    level: str
    label: str


class BandTableOut(BandTableRef):
    active: bool
    source: str
    verification_note: str
    endpoint_convention: str
    supersedes: int | None
    created_by: str | None
    created_at: str
    factors: dict[str, list[ScaleValueOut]]
    bands: list[BandOut]


class BandTableList(Schema):
    items: list[BandTableOut]
    count: int


class BandTableIn(Schema):
    method: str
    region: str = Field("", description="province code; empty = the national default")
    code: str
    name: str
    source: str
    verified: bool = False
    verification_note: str = ""
    comment: str = ""
    bands: list[BandIO]
    factors: dict[str, list[ScaleValueIO]] | None = Field(
        None, description="allowed factor values; default: those of the table in force"
    )
    idempotency_key: str | None = None


class BandTableFilters(Schema):
    method: str | None = None
    region: str | None = Field(None, description="province code, or empty for national defaults only")
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


@tools_router.get("/risk-band-tables", response=BandTableList)
def list_band_tables(request, filters: Query[BandTableFilters], limit: int = 50, offset: int = 0):
    """The active band tables (national defaults and provincial ones); `include_inactive` adds old versions."""
    qs = RiskBandTable.objects.select_related("created_by").prefetch_related("factor_values", "bands")
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    if filters.method:
        qs = qs.filter(method=filters.method.upper())
    if filters.region is not None:
        qs = qs.filter(region_code=filters.region)
    count = qs.count()
    offset, limit = max(0, offset), max(1, min(limit, 500))
    return {"items": [_table_out(t) for t in qs[offset : offset + limit]], "count": count}


@tools_router.get("/risk-band-tables/{table_id}", response=BandTableOut)
def get_band_table(request, table_id: int):
    """Any version, also a superseded one, so an old assessment can be explained."""
    try:
        return _table_out(services.get_table(table_id))
    except RiskBandTable.DoesNotExist:
        raise Http404 from None


@tools_router.post("/risk-band-tables", response={201: BandTableOut})
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
    enterprise: str | None = Field(None, description="USCC; default: the caller's own enterprise")
    name: str | None = None
    kind: str | None = Field(None, description="place | installation | activity")
    location: str | None = None
    factor_kinds: list[str] = Field([], description="GB/T 13861: human, object, environment, management")
    accident_categories: list[str] = Field([], description="GB 6441-2025 WSA codes, e.g. WSA10009")
    responsible_person: str | None = None
    idempotency_key: str | None = None


class RiskPointFilters(Schema):
    enterprise: str | None = Field(None, description="USCC")
    region: str | None = Field(None, description="region code (its subtree)")
    level: str | None = Field(None, description="red | orange | yellow | blue (current level)")
    due: str | None = Field(None, description="overdue | soon (re-assessment overdue, or due within 7 days)")
    measures: str | None = Field(None, description="none: points without any control measure")


class PointAssessmentIn(Schema):
    method: str | None = Field(None, description="LEC | LS")
    l: Decimal | None = None  # noqa: E741
    e: Decimal | None = None
    c: Decimal | None = None
    s: Decimal | None = None
    residual: bool = Field(False, description="assessed after the control measures")
    next_due: str | None = Field(None, description="YYYY-MM-DD, date of the next assessment")
    idempotency_key: str | None = None


def _page(qs, limit: int, offset: int, out) -> dict:
    count = qs.count()
    offset, limit = max(0, offset), max(1, min(limit, 500))
    return {"items": [out(x) for x in qs[offset : offset + limit]], "count": count}


@router.get("/risk-points", response=dict)
def list_risk_points(request, filters: Query[RiskPointFilters], limit: int = 50, offset: int = 0):
    qs = _points(request)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.strip().upper())
    if filters.region:
        qs = qs.filter(within(filters.region.strip()))
    if filters.level:
        if filters.level not in RiskLevel.values:
            raise ValidationFailed(
                [FieldError("level", "invalid_choice", "风险等级须为 red、orange、yellow 或 blue")]
            )
        qs = qs.filter(current_level=filters.level)
    if filters.measures:
        if filters.measures != "none":
            raise ValidationFailed([FieldError("measures", "invalid_choice", "管控措施筛选只能为 none")])
        qs = points.without_measures(qs)
    if filters.due:
        if filters.due not in reassessment.DUE_FILTERS:
            raise ValidationFailed([FieldError("due", "invalid_choice", "复评筛选须为 overdue 或 soon")])
        qs = reassessment.filter_due(qs, filters.due, timezone.localdate()).order_by(
            "next_assessment_due", "id"
        )
    return _page(qs, limit, offset, _point_out)


@router.post("/risk-points", response={201: dict})
def create_risk_point(request, payload: RiskPointIn):
    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        point = points.create_point(raw, actor=request.user)
        return 201, _point_out(get_in_scope(_points(request), request.user, pk=point.pk))

    status, body = run_once(request, "risk.point", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/risk-points/{point_id}", response=dict)
def get_risk_point(request, point_id: int):
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
            "url": reverse("risk:point_photo", args=[ph.pk]),
        }
        for ph in point.photos.all()
    ]
    return body


@router.post("/risk-points/{point_id}/photos", response={201: dict})
def upload_point_photo(request, point_id: int, file: File[UploadedFile]):
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


@router.get("/risk-points/{point_id}/assessments", response=dict)
def list_point_assessments(request, point_id: int, limit: int = 50, offset: int = 0):
    point = get_in_scope(_points(request), request.user, pk=point_id)
    return _page(point.assessments.select_related("band_table"), limit, offset, _assessment_out)


@router.post("/risk-points/{point_id}/assessments", response={201: dict})
def assess_point(request, point_id: int, payload: PointAssessmentIn):
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


class SubstanceLineIn(Schema):
    name: str | None = None
    cas: str | None = None
    quantity_t: Decimal | None = None
    category: str | list[str] | None = Field(None, description="表2 symbol(s), needed outside 表1")


class InstallationIn(Schema):
    enterprise: str | None = Field(None, description="USCC; default: the caller's own enterprise")
    name: str | None = None
    unit_type: str | None = Field(None, description="production | storage")
    exposed_persons: int | None = None
    substances: list[SubstanceLineIn] = []
    principal_name: str | None = None
    principal_phone: str | None = None
    technical_name: str | None = None
    technical_phone: str | None = None
    operational_name: str | None = None
    operational_phone: str | None = None
    idempotency_key: str | None = None


class InstallationFilters(Schema):
    enterprise: str | None = Field(None, description="USCC")
    region: str | None = None
    grade: int | None = Field(None, description="1–4")
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


@router.get("/major-hazard-installations", response=dict)
def list_installations(request, filters: Query[InstallationFilters], limit: int = 50, offset: int = 0):
    qs = _installations(request)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.strip().upper())
    if filters.region:
        qs = qs.filter(within(filters.region.strip()))
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.is_major is not None:
        qs = qs.filter(is_major=filters.is_major)
    if filters.persons_incomplete is not None:
        incomplete = installations.persons_incomplete()
        qs = qs.filter(incomplete) if filters.persons_incomplete else qs.exclude(incomplete)
    return _page(qs, limit, offset, _installation_out)


@router.post("/major-hazard-installations", response={201: dict})
def create_installation(request, payload: InstallationIn):
    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        inst = installations.create_installation(raw, actor=request.user)
        return 201, _installation_out(get_in_scope(_installations(request), request.user, pk=inst.pk))

    status, body = run_once(request, "risk.installation", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/major-hazard-installations/{installation_id}", response=dict)
def get_installation(request, installation_id: int):
    return _installation_out(get_in_scope(_installations(request), request.user, pk=installation_id))
