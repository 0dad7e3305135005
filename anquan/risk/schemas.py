"""The risk API's typed contract (issue #9 items 3 and 7): the limits every input field shares with the
domain functions and pages that check it, the filter types, and the response schemas.

Text limits come from the model (`max_len`), so the OpenAPI states exactly what the database stores;
the domain functions (points, installations, tasks, reports, site_plans, maps, services) refuse the
same lengths for the pages and imports that do not pass through these schemas. Every schema name
here is unique in the whole API (hence the prefixes).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema

from anquan.core.contract import Page

from . import assessment, gb18218

# --- limits ----------------------------------------------------------------------------------------

ID_MAX = 2**63 - 1  # a database id (bigint); larger answers 422 instead of an overflow
USCC_PATTERN = r"^[0-9A-Za-z]{18}$"  # GB 32100-2015: 18 characters
REGION_PATTERN = r"^\d{6}(\d{3}(\d{3})?)?$"  # GB/T 2260 county code (+ township, + village)
PROVINCE_PATTERN = r"^(\d{2}0000)?$"  # a province code, or "" for the national default
TEXT_MAX = 2000  # a free-text comment, note or reason with no column limit of its own
SUBSTANCES_MAX = gb18218.MAX_SUBSTANCES  # substances of one unit (4.1.1: one unit at a time)
EXPOSED_PERSONS_MAX = gb18218.MAX_EXPOSED_PERSONS  # 表5: residents within 500 m
FACTOR_MAX = int(assessment.MAX_FACTOR)  # LEC / LS factor values (models.RiskFactorValue)
SCORE_MAX = int(assessment.MAX_BOUND)  # band limits (models.RiskBand)
QUANTITY_MAX_T = int(gb18218.MAX_QUANTITY_T)  # tonnes


def page_id(value: str) -> int | None:
    """An id from a page's query string, or None when it is not one (a page filter ignores it)."""
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) <= ID_MAX else None


def max_len(model, field: str) -> int:
    """The column's max_length: the one number API, form and database agree on."""
    return model._meta.get_field(field).max_length


Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Uscc = Annotated[str, Field(min_length=18, max_length=18, pattern=USCC_PATTERN)]
RegionCode = Annotated[str, Field(max_length=12, pattern=REGION_PATTERN)]


def text(model, field: str, description: str | None = None, default: Any = None, **extra):
    """A text field limited to the model column's max_length."""
    return Field(default, max_length=max_len(model, field), description=description, **extra)


# --- tools ------------------------------------------------------------------------------------------


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


class InstallationSubstanceOut(Schema):
    name: str
    cas: str
    quantity_t: float
    category: list[str]


class AccountablePersonOut(Schema):
    name: str
    phone: str


class RequiredSensorOut(Schema):
    kind: str
    label: str
    basis: str


class InstallationOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    region: str
    name: str
    unit_type: str
    exposed_persons: int | None
    substances: list[InstallationSubstanceOut]
    s: float
    is_major: bool
    alpha: float | None
    r: float | None
    grade: int | None
    computation: dict[str, Any] = Field(description="the stored GB 18218 breakdown (S, R, each line)")
    accountable_persons: dict[str, AccountablePersonOut] = Field(
        description="principal, technical, operational"
    )
    required_sensors: list[RequiredSensorOut]
    updated_at: str


# --- yearly risk reports ----------------------------------------------------------------------------


class RiskReportOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    region: str
    year: int
    status: str
    status_label: str
    principal_name: str
    contact_name: str
    contact_phone: str
    statement: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    return_reason: str | None
    actions: list[str]


class RiskReportEventOut(Schema):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class RiskReportDetailOut(RiskReportOut):
    snapshot: dict[str, Any] = Field(description="as last submitted, or the live preview of a draft")
    snapshot_frozen: bool
    events: list[RiskReportEventOut]


class ReportCoverageRowOut(Schema):
    region: str
    name: str
    enterprises: int
    reported: int
    accepted: int
    not_reported: int
    coverage: float | None = Field(description="reported ÷ enterprises, %; null when none must report")


class ReportCoverageOut(Schema):
    region: str
    region_name: str
    year: int
    sector: str
    items: list[ReportCoverageRowOut]
    total: ReportCoverageRowOut


# --- control (self-check) tasks -----------------------------------------------------------------------


class CheckScheduleOut(Schema):
    id: int
    point: int
    frequency: str
    post: str
    content: str
    active: bool


class CheckTaskOut(Schema):
    id: int
    schedule: int
    point: int
    point_name: str
    enterprise: str
    enterprise_name: str
    frequency: str
    post: str
    content: str
    period_start: dt.datetime
    period_end: dt.datetime
    status: str
    done_at: dt.datetime | None
    hazard: int | None
    note: str


class CheckTaskEventOut(Schema):
    action: str = Field(description="done_normal | done_hazard | mark_missed")
    from_status: str
    to_status: str
    actor: str = Field(description="who: a person's name, or 系统 for the sweep")
    at: dt.datetime
    comment: str
    data: dict


class CheckTaskStatsRowOut(Schema):
    enterprise: int | None = Field(None, description="enterprise id (group_by=enterprise)")
    point: int | None = Field(None, description="risk point id (group_by=point)")
    name: str
    total: int
    done: int
    missed: int


class CheckTaskStatsOut(Schema):
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    items: list[CheckTaskStatsRowOut]
    count: int


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


class MapRegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: int
    shape_ids: list[str]


class MapAncestorOut(Schema):
    code: str
    name: str


class MapLegendOut(Schema):
    level: str
    label: str
    color: str


class MapLevelCountsOut(Schema):
    red: int
    orange: int
    yellow: int
    blue: int
    unassessed: int


class MapAreaOut(Schema):
    code: str
    name: str
    level: str
    counts: MapLevelCountsOut
    total: int
    assessed: int
    shape_ids: list[str]
    on_map: bool
    has_children: bool


class MapShapesOut(Schema):
    name: str
    url: str
    draws: str


class RiskMapOut(Schema):
    region: MapRegionOut
    ancestors: list[MapAncestorOut]
    rule: MapRuleValuesOut
    legend: list[MapLegendOut]
    total: MapAreaOut
    children: list[MapAreaOut]
    map: MapShapesOut | None
    parent_map: MapShapesOut | None
