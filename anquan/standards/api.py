"""Calculation tools under /api/v1/tools: LEC / LS scoring and GB 18218 major hazard identification,
plus the risk band tables they use (list, any version by id, new version by an administrator) and the
four-colour map's colour rules (/api/v1/tools/risk-map-rules).

Numbers: decisions (band, is_major, grade) are taken on exact values; the JSON floats s, r and
ratio are those exact values cut (not rounded) to 4 decimal places, so a shown value never crosses a
threshold the exact one did not (S shown as 1.0 ⇔ S ≥ 1; R shown as 100.0 ⇔ R ≥ 100).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once

from . import assessment, gb18218, map_rules, services
from .exact import cut4
from .models import RiskBand, RiskBandTable, RiskFactorValue, RiskMapRule
from .schemas import (
    EXPOSED_PERSONS_MAX,
    FACTOR_MAX,
    PROVINCE_PATTERN,
    QUANTITY_MAX_T,
    SCORE_MAX,
    SUBSTANCES_MAX,
    Id,
    RegionCode,
    text,
)

tools_router = Router(tags=["tools"])

IdempotencyKey = Annotated[str | None, Field(max_length=100, description="or the Idempotency-Key header")]


def _quantity() -> Any:
    return Field(None, gt=0, le=QUANTITY_MAX_T, description="design maximum quantity q in tonnes (4.2.2)")


def exposed_persons_field() -> Any:
    return Field(
        None,
        ge=0,
        le=EXPOSED_PERSONS_MAX,
        description="resident population within 500 m of the boundary (表5); needed for grading",
    )


# --- response schemas


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


class GB18218LineOut(Schema):
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
    lines: list[GB18218LineOut]


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


# --- risk assessment ----------------------------------------------------------------------------


def factor_field(description: str) -> Any:
    """A factor value: the band table in force says which values exist (assessment.assess)."""
    return Field(None, ge=0, le=FACTOR_MAX, description=description)


class RiskAssessmentIn(Schema):
    method: str = Field(max_length=3, description="LEC | LS")
    l: Decimal | None = factor_field("LEC: 10, 6, 3, 1, 0.5, 0.2, 0.1; LS: 1–5")  # noqa: E741
    e: Decimal | None = factor_field("LEC only: 10, 6, 3, 2, 1, 0.5")
    c: Decimal | None = factor_field("LEC only: 100, 40, 15, 7, 3, 1")
    s: Decimal | None = factor_field("LS only: 1–5")
    region: RegionCode | None = Field(
        None, description="region code whose province's band table applies; default: the caller's"
    )
    band_table: Id | None = Field(
        None, description="id of a specific band table version (e.g. to re-check an old assessment)"
    )


def _table_for(request: AuthedRequest, payload: RiskAssessmentIn) -> RiskBandTable:
    if payload.band_table is not None:
        try:
            return services.get_table(payload.band_table)
        except RiskBandTable.DoesNotExist:
            raise ValidationFailed([FieldError("band_table", "not_found", "该风险分级表不存在")]) from None
    region = payload.region
    if region is None:
        region = getattr(request.user, "region_code", "") or ""
    return services.active_table(payload.method, region)


def band_table_ref(table: RiskBandTable) -> dict[str, Any]:
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
def risk_assessment(request: AuthedRequest, payload: RiskAssessmentIn) -> dict[str, Any]:
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
        "band_table": band_table_ref(table),
    }


# --- GB 18218 -----------------------------------------------------------------------------------


Symbol = Annotated[str, Field(max_length=10)]
Categories = Annotated[str, Field(max_length=100)] | Annotated[list[Symbol], Field(max_length=20)] | None


def _category() -> Any:
    return Field(
        None,
        description="表2 symbol(s), e.g. W2 (a list, or one string with commas); required outside 表1; "
        "several → lowest Q (4.1.2)",
    )


class GB18218SubstanceIn(Schema):
    """One substance of the unit (the tool and installations share it)."""

    name: str | None = Field(
        None,
        max_length=gb18218.MAX_NAME,
        description="GB 18218-2018 表1 name or alias, or any name with `category`",
    )
    cas: str | None = Field(None, max_length=gb18218.MAX_CAS)
    quantity_t: Decimal | None = _quantity()
    category: Categories = _category()


class MajorHazardIn(Schema):
    unit_type: str = Field(max_length=20, description="production | storage (4.1.1)")
    substances: list[GB18218SubstanceIn] = Field(min_length=1, max_length=SUBSTANCES_MAX)
    exposed_persons: int | None = exposed_persons_field()


@tools_router.post("/major-hazard-identification", response=responses(MajorHazardOut, 400, 415))
def major_hazard_identification(request: AuthedRequest, payload: MajorHazardIn) -> dict[str, Any]:
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


def _table_out(table: RiskBandTable) -> dict[str, Any]:
    factors: dict[str, list[dict[str, Any]]] = {}
    for fv in table.factor_values.all():
        factors.setdefault(fv.factor, []).append({"value": float(fv.value), "label": fv.label})
    return {
        **band_table_ref(table),
        "active": table.active,
        "source": table.source,
        "verification_note": table.verification_note,
        "endpoint_convention": table.endpoint_convention,
        "supersedes": table.supersedes_id,
        "created_by": table.created_by.username if table.created_by is not None else None,
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
def list_band_tables(
    request: AuthedRequest, filters: Query[BandTableFilters], paging: Query[PageParams]
) -> dict[str, Any]:
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
def get_band_table(request: AuthedRequest, table_id: Id) -> dict[str, Any]:
    """Any version, also a superseded one, so an old assessment can be explained."""
    try:
        return _table_out(services.get_table(table_id))
    except RiskBandTable.DoesNotExist:
        raise Http404 from None


@tools_router.post("/risk-band-tables", response=responses({201: BandTableOut}, 400, 403, 409, 415))
def create_band_table(request: AuthedRequest, payload: BandTableIn) -> Status[dict[str, Any]]:
    """A new version for a province (or the national default), replacing the active one; audited."""

    def create() -> tuple[int, dict[str, Any]]:
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


# --- the colour rule of the four-colour map (/api/v1/tools/risk-map-rules) ---

rules_router = Router(tags=["tools"])


# --- the regional four-colour map -------------------------------------------------------------------


class MapRuleValuesOut(Schema):
    id: int | None
    version: int
    region_code: str
    red_share: float
    orange_share: float
    yellow_share: float
    source: str
    verified: bool
    text: str


class MapRuleOut(MapRuleValuesOut):
    active: bool
    comment: str
    created_at: str
    created_by: str | None


class MapRulePage(Page[MapRuleOut]):
    default: MapRuleValuesOut = Field(description="the shipped rule, applied where no version exists")


def _share(description: str) -> Any:
    return Field(gt=0, le=100, allow_inf_nan=False, description=description)


class RiskMapRuleIn(Schema):
    region: str = Field(
        "", max_length=6, pattern=PROVINCE_PATTERN, description="province code; empty = national"
    )
    red_share: float = _share("red ≥ this % of the assessed enterprises → red (0–100)")
    orange_share: float = _share("red + orange ≥ this % → orange (cumulative, ≥ red_share)")
    yellow_share: float = _share("red + orange + yellow ≥ this % → yellow (cumulative, ≥ orange_share)")
    source: str = Field(max_length=map_rules.TEXT_MAX, description="the document or decision it comes from")
    verified: bool = False
    comment: str = Field("", max_length=map_rules.TEXT_MAX)
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class MapRuleFilters(Schema):
    include_inactive: bool = False


def _rule_out(row: RiskMapRule) -> dict[str, Any]:
    rule = map_rules._rule(row)
    return rule.as_dict() | {
        "active": row.active,
        "comment": row.comment,
        "created_at": row.created_at.isoformat(),
        "created_by": row.created_by.username if row.created_by else None,
    }


@rules_router.get("/risk-map-rules", response=responses(MapRulePage))
def list_map_rules(
    request: AuthedRequest, filters: Query[MapRuleFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """The colour rules in the database (none: the shipped default applies, shown as `default`)."""
    qs = RiskMapRule.objects.select_related("created_by")
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    return {**page(qs, paging, _rule_out), "default": map_rules.default_rule().as_dict()}


@rules_router.post("/risk-map-rules", response=responses({201: MapRuleOut}, 400, 403, 409, 415))
def create_map_rule(request: AuthedRequest, payload: RiskMapRuleIn) -> Status[dict[str, Any]]:
    """A new version for a province (or "" = national), replacing the active one; audited."""

    def create() -> tuple[int, dict[str, Any]]:
        row = map_rules.set_rule(payload.dict(exclude={"idempotency_key"}), actor=request.user)
        return 201, _rule_out(row)

    status, body = run_once(request, "risk.map_rule", key_from(request, payload.idempotency_key), create)
    return Status(status, body)
