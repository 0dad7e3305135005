"""/api/v1 routes of assessments: /assessments (list, create, one, /transitions, /scores, /manual-entries) and
/flags (list, award by decision). Mounted in anquan/api.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import run_payload_once
from anquan.standards.schemas import Id, RegionCode

from . import flags, services
from .choices import AssessmentStatus, FlagColour, HolderKind, SubjectLevel
from .models import Assessment, Flag, ManualEntry, Score
from .workflow import FLOW

router = Router(tags=["考核评比"])


class AssessmentOut(Schema):
    id: int
    title: str
    region: str = Field(description="the issuing office's region code")
    region_name: str
    scheme: int = Field(description="the scoring scheme version applied (/api/v1/rules/assessments.scheme)")
    scheme_name: str
    scheme_verified: str = Field(description="verified | partial | not_found")
    period_start: dt.date
    period_end: dt.date
    subjects: str = Field(description="child_regions | departments")
    status: str = Field(description="draft | computed | published")
    status_label: str
    computed_at: dt.datetime | None
    published_on: dt.date | None
    actions: list[str]


class AssessmentIn(Schema):
    period_start: dt.date
    period_end: dt.date
    subjects: SubjectLevel = SubjectLevel.CHILD_REGIONS
    scheme: int | None = Field(
        None, ge=1, description="a version id; default: the one in force at the period's end"
    )
    title: str | None = Field(None, max_length=services.TITLE_MAX)
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class AssessmentTransitionIn(Schema):
    action: Literal["compute", "publish"]


class ScoreLineOut(Schema):
    key: str
    name: str
    metric: str = Field(description="the system figure read; empty for a manual criterion")
    value: str | None = Field(description="the figure as a number; null: no data (scores nothing)")
    figure: str
    source: str
    rule: str
    points: Decimal
    max: Decimal
    no_data: bool


class ScoreOut(Schema):
    id: int
    rank: int
    region: str
    region_name: str
    department: str | None
    subject_name: str
    total: Decimal
    breakdown: list[ScoreLineOut]


class ManualEntryIn(Schema):
    criterion: str = Field(max_length=40)
    subject: str = Field(max_length=40, description="a region code, or '<region code>:<department id>'")
    points: Decimal = Field(ge=0, le=10000, decimal_places=2)
    reason: str = Field(max_length=services.REASON_MAX)


class ManualEntryOut(Schema):
    id: int
    criterion: str
    subject: str
    points: Decimal
    reason: str
    entered_by: str
    entered_at: dt.datetime


class FlagOut(Schema):
    id: int
    colour: str = Field(description="red | yellow")
    colour_label: str
    period_label: str
    period_start: dt.date
    period_end: dt.date
    issuer_region: str
    holder_kind: str = Field(description="region | department | enterprise")
    holder_name: str
    region: str
    department: str | None
    enterprise: int | None
    basis: str = Field(description="ranking | decision")
    assessment: int | None
    rank: int | None
    reason: str
    awarded_on: dt.date
    passed_on: dt.date | None = Field(description="when it moved on to the next period's holder; null: held")


class FlagIn(Schema):
    colour: FlagColour
    holder_kind: HolderKind = HolderKind.REGION
    region: RegionCode | None = Field(None, description="the holder region (or the department's region)")
    department: int | None = Field(None, ge=1, description="department id (holder_kind department)")
    enterprise: int | None = Field(None, ge=1, description="enterprise id (holder_kind enterprise)")
    period_start: dt.date
    period_end: dt.date
    reason: str = Field(max_length=flags.REASON_MAX)
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class AssessmentFilters(Schema):
    status: AssessmentStatus | None = None


class FlagFilters(Schema):
    current: bool | None = Field(None, description="true: held now; false: passed on")
    colour: FlagColour | None = None


def _out(a: Assessment, user: Any) -> dict[str, Any]:
    scheme = services.scheme_of(a)
    return {
        "id": a.pk,
        "title": a.title,
        "region": a.region.code,
        "region_name": a.region.name,
        "scheme": a.scheme_id,
        "scheme_name": scheme.name,
        "scheme_verified": a.scheme.verified,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "subjects": a.subjects,
        "status": a.status,
        "status_label": str(AssessmentStatus(a.status).label),
        "computed_at": a.computed_at,
        "published_on": a.published_on,
        "actions": FLOW.available(a, user),
    }


def score_out(s: Score) -> dict[str, Any]:
    return {
        "id": s.pk,
        "rank": s.rank,
        "region": s.region.code,
        "region_name": s.region.name,
        "department": s.department.name if s.department_id else None,
        "subject_name": s.subject_name,
        "total": s.total,
        "breakdown": s.breakdown,
    }


def flag_out(f: Flag) -> dict[str, Any]:
    return {
        "id": f.pk,
        "colour": f.colour,
        "colour_label": f.get_colour_display(),
        "period_label": f.period_label,
        "period_start": f.period_start,
        "period_end": f.period_end,
        "issuer_region": f.issuer_region.code,
        "holder_kind": f.holder_kind,
        "holder_name": f.holder_name,
        "region": f.region.code,
        "department": f.department.name if f.department_id else None,
        "enterprise": f.enterprise_id,
        "basis": f.basis,
        "assessment": f.assessment_id,
        "rank": f.rank,
        "reason": f.reason,
        "awarded_on": f.awarded_on,
        "passed_on": f.passed_on,
    }


@router.get("/assessments", response=responses(Page[AssessmentOut]))
def list_assessments(
    request: AuthedRequest, filters: Query[AssessmentFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = services.visible(request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs, paging, lambda a: _out(a, request.user))


@router.post("/assessments", response=responses({201: AssessmentOut}, 400, 403, 409, 415))
def create_assessment(request: AuthedRequest, payload: AssessmentIn) -> Status[dict[str, Any]]:
    """A draft assessment by the caller's office (a period that has ended); scores by the `compute` transition."""

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        assessment = services.create(request.user, raw)
        return 201, _out(services.get(request.user, assessment.pk), request.user)

    return Status(*run_payload_once(request, "assessments.assessment", payload, make, exclude_none=True))


@router.get("/assessments/{assessment_id}", response=responses(AssessmentOut, 404))
def get_assessment(request: AuthedRequest, assessment_id: Id) -> dict[str, Any]:
    return _out(services.get(request.user, assessment_id), request.user)


@router.post(
    "/assessments/{assessment_id}/transitions", response=responses(AssessmentOut, 400, 403, 404, 409, 415)
)
def assessment_transition(
    request: AuthedRequest, assessment_id: Id, payload: AssessmentTransitionIn
) -> dict[str, Any]:
    """`compute` (draft or computed → computed: every score from the data again), `publish` (computed → published:
    the flags of the scheme's rule are awarded and the previous period's move on)."""
    assessment = services.get(request.user, assessment_id)
    services.transition(assessment, payload.action, actor=request.user)
    return _out(services.get(request.user, assessment_id), request.user)


@router.get("/assessments/{assessment_id}/scores", response=responses(Page[ScoreOut], 404))
def assessment_scores(request: AuthedRequest, assessment_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    """The scores in ranking order, each with its breakdown (per criterion: figure, source, points, maximum)."""
    assessment = services.get(request.user, assessment_id)
    return page(assessment.scores.select_related("region", "department").order_by("order"), paging, score_out)


@router.post(
    "/assessments/{assessment_id}/manual-entries",
    response=responses({201: ManualEntryOut}, 400, 403, 404, 409, 415),
)
def add_manual_entry(
    request: AuthedRequest, assessment_id: Id, payload: ManualEntryIn
) -> Status[dict[str, Any]]:
    """Points of a manual criterion for one subject with the reason (evidence files: the page). Above the
    criterion's maximum → 422 on `points`. Counted at the next `compute`."""
    assessment = services.get(request.user, assessment_id)
    entry = services.enter_manual(assessment, payload.dict(), [], actor=request.user)
    return Status(201, _entry_out(entry))


def _entry_out(e: ManualEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "criterion": e.criterion,
        "subject": f"{e.region.code}:{e.department_id}" if e.department_id else e.region.code,
        "points": e.points,
        "reason": e.reason,
        "entered_by": e.entered_by.username if e.entered_by else "",
        "entered_at": e.entered_at,
    }


@router.get("/flags", response=responses(Page[FlagOut]))
def list_flags(
    request: AuthedRequest, filters: Query[FlagFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = flags.visible(request.user)
    if filters.current is not None:
        qs = qs.filter(passed_on__isnull=filters.current)
    if filters.colour:
        qs = qs.filter(colour=filters.colour)
    return page(qs, paging, flag_out)


@router.post("/flags", response=responses({201: FlagOut}, 400, 403, 409, 415))
def award_flag(request: AuthedRequest, payload: FlagIn) -> Status[dict[str, Any]]:
    """A flag by the office's decision with reasons; the same office's earlier flags of the colour move on."""

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        flag = flags.award_by_decision(request.user, raw)
        return 201, flag_out(flags.visible(request.user).get(pk=flag.pk))

    return Status(*run_payload_once(request, "assessments.flag", payload, make, exclude_none=True))
