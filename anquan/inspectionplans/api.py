"""Targeting and yearly plans in the API: GET /api/v1/enforcement-targets, /api/v1/inspection-plans (list,
create), one plan, its transitions, one entry's decision and its coverage. Mounted at "/" in anquan/api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import run_payload_once
from anquan.core.scope import get_in_scope, restrict
from anquan.standards.schemas import TEXT_MAX, Id, RegionCode

from . import coverage as plan_coverage
from . import services
from .choices import Band, PlanStatus
from .models import InspectionPlan
from .workflow import available, transition

router = Router(tags=["inspection plans"])


class TargetFactorOut(Schema):
    key: str = Field(
        description="risk_level | overdue_major_hazard | open_major_hazard | overdue_general_hazard | "
        "missed_check | accidents | major_installation | penalty | alarm | tip_off | monitoring_listed | "
        "certificates_uncovered"
    )
    label: str
    value: str = Field(description="what was found, or 暂无数据 where the data is not held yet")
    points: int
    available: bool


class TargetOut(Schema):
    rank: int
    enterprise_id: int
    name: str
    uscc: str
    region: str
    township: str
    industry: str
    risk_level: str
    score: int
    band: Band
    band_label: str
    frequency: int = Field(description="proposed inspections a year")
    explanation: str
    factors: list[TargetFactorOut]


class TargetRuleOut(Schema):
    id: int
    effective_from: dt.date
    source: str
    verified: str = Field(description="verified | partial | not_found")


class TargetsOut(Schema):
    items: list[TargetOut]
    count: int
    region: str
    region_name: str
    rule: TargetRuleOut


class TargetParams(Schema):
    region: RegionCode | None = Field(None, description="default: the caller's region")
    band: Band | None = None
    township: RegionCode | None = None
    industry: str | None = Field(None, max_length=40, description="industry code")


def _rule(version: Any) -> dict[str, Any]:
    return {
        "id": version.id,
        "effective_from": version.effective_from,
        "source": version.source,
        "verified": version.verified,
    }


@router.get("/enforcement-targets", response=responses(TargetsOut, 404))
def enforcement_targets(
    request: AuthedRequest, params: Query[TargetParams], paging: Query[PageParams]
) -> dict[str, Any]:
    """The enterprises in the caller's scope in the region ranked by their targeting score, each with the
    breakdown by factor and the explanation; the weights are the rule version named in `rule`."""
    region = services.resolve_region(request.user, params.region)
    found, version = services.targets(request.user, region, params.dict(exclude_none=True))
    rows = found[paging.offset : paging.offset + paging.limit]
    return {
        "items": [t.as_json() | {"rank": paging.offset + n} for n, t in enumerate(rows, 1)],
        "count": len(found),
        "region": region.code,
        "region_name": region.full_name,
        "rule": _rule(version),
    }


class PlanEntryOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    uscc: str
    township: str
    source: str
    band: Band
    score: int
    explanation: str
    proposed_frequency: int
    frequency: int
    decision: str = Field(description="pending | accepted | overridden")
    reason: str


class PlanEventOut(Schema):
    action: str
    from_status: str | None
    to_status: str | None
    actor: str
    at: dt.datetime
    comment: str


class InspectionPlanOut(Schema):
    id: int
    title: str
    department: str
    region: str
    region_name: str
    year: int
    level: str
    version: int
    previous_id: int | None
    status: PlanStatus
    status_label: str
    inspectors: int
    working_days: int
    other_enforcement_days: int
    non_enforcement_days: int
    total_days: int = Field(description="working days × inspectors")
    supervision_days: int = Field(description="total − other enforcement days − non-enforcement days")
    key_days: int = Field(description="key enterprises' inspections a year × person-days per inspection")
    general_days: int
    person_days_per_inspection: int
    random_quota: int
    key_enterprises: int
    return_reason: str
    actions: list[str]


class InspectionPlanDetailOut(InspectionPlanOut):
    entries: list[PlanEntryOut]
    events: list[PlanEventOut]


class InspectionPlanIn(Schema):
    year: int = Field(ge=2000, le=9999)
    inspectors: int = Field(ge=1, le=10_000)
    working_days: int | None = Field(
        None, ge=1, le=366, description="default: the rule version in force (247)"
    )
    other_enforcement_days: int = Field(0, ge=0, le=10_000_000)
    non_enforcement_days: int = Field(0, ge=0, le=10_000_000)
    random_quota: int | None = Field(
        None, ge=0, le=1_000_000, description="default: what the general days allow"
    )
    note: str | None = Field(None, max_length=TEXT_MAX)
    idempotency_key: str | None = Field(None, max_length=100)


class InspectionPlanTransitionIn(Schema):
    action: Literal["submit", "approve", "return", "revise"]
    comment: str | None = Field(None, max_length=TEXT_MAX)
    reason: str | None = Field(None, max_length=TEXT_MAX)


class PlanEntryIn(Schema):
    frequency: int | None = Field(None, ge=0, le=52, description="default: the proposed frequency")
    reason: str | None = Field(
        None, max_length=500, description="required when frequency differs from the proposal"
    )


class InspectionPlanFilters(Schema):
    year: int | None = Field(None, ge=2000, le=9999)
    status: PlanStatus | None = None


def _plans(request: AuthedRequest) -> QuerySet[InspectionPlan]:
    return restrict(InspectionPlan, request.user).select_related("region", "department")


def plan_out(plan: InspectionPlan, user: User, *, full: bool = False) -> dict[str, Any]:
    entries = list(plan.entries.select_related("enterprise").all())
    key_days = sum(e.frequency for e in entries) * plan.person_days_per_inspection
    body: dict[str, Any] = {
        "id": plan.pk,
        "title": plan.title,
        "department": plan.department.name,
        "region": plan.region_code,
        "region_name": plan.region.full_name,
        "year": plan.year,
        "level": plan.level,
        "version": plan.version,
        "previous_id": plan.previous_id,
        "status": plan.status,
        "status_label": str(PlanStatus(plan.status).label),
        "inspectors": plan.inspectors,
        "working_days": plan.working_days,
        "other_enforcement_days": plan.other_enforcement_days,
        "non_enforcement_days": plan.non_enforcement_days,
        "total_days": plan.total_days,
        "supervision_days": plan.supervision_days,
        "key_days": key_days,
        "general_days": plan.supervision_days - key_days,
        "person_days_per_inspection": plan.person_days_per_inspection,
        "random_quota": plan.random_quota,
        "key_enterprises": len(entries),
        "return_reason": plan.return_reason,
        "actions": available(plan, user),
    }
    if full:
        body["entries"] = [
            {
                "id": e.pk,
                "enterprise_id": e.enterprise_id,
                "enterprise": e.enterprise.name,
                "uscc": e.enterprise.uscc,
                "township": e.township_code,
                "source": e.source,
                "band": e.band,
                "score": e.score,
                "explanation": e.explanation,
                "proposed_frequency": e.proposed_frequency,
                "frequency": e.frequency,
                "decision": e.decision,
                "reason": e.reason,
            }
            for e in entries
        ]
        body["events"] = [
            e.as_json() | {"from_status": e.from_status or None, "to_status": e.to_status or None}
            for e in plan.events.all()
        ]
    return body


@router.get("/inspection-plans", response=responses(Page[InspectionPlanOut]))
def list_plans(
    request: AuthedRequest, filters: Query[InspectionPlanFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _plans(request)
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs, paging, lambda p: plan_out(p, request.user))


@router.post("/inspection-plans", response=responses({201: InspectionPlanDetailOut}, 400, 403, 409, 415))
def create_plan(request: AuthedRequest, payload: InspectionPlanIn) -> Status[dict[str, Any]]:
    """A draft plan of the caller's unit (department and region) with its proposed key enterprises."""

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        plan = services.create_plan(raw, actor=request.user)
        return 201, plan_out(_plans(request).get(pk=plan.pk), request.user, full=True)

    return Status(*run_payload_once(request, "inspectionplans.plan", payload, make))


@router.get("/inspection-plans/{inspection_plan_id}", response=responses(InspectionPlanDetailOut, 404))
def get_plan(request: AuthedRequest, inspection_plan_id: Id) -> dict[str, Any]:
    return plan_out(
        get_in_scope(_plans(request), request.user, pk=inspection_plan_id), request.user, full=True
    )


@router.post(
    "/inspection-plans/{inspection_plan_id}/transitions",
    response=responses(InspectionPlanDetailOut, 400, 403, 404, 409, 415),
)
def move_plan(
    request: AuthedRequest, inspection_plan_id: Id, payload: InspectionPlanTransitionIn
) -> dict[str, Any]:
    """submit (preparers) · approve: comment · return: reason (the unit's supervisor, not the submitter) ·
    revise (an approved plan: answers the new draft version)."""
    plan = get_in_scope(_plans(request), request.user, pk=inspection_plan_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    moved = transition(plan, action, actor=request.user, **fields)
    return plan_out(_plans(request).get(pk=moved.pk), request.user, full=True)


@router.put(
    "/inspection-plans/{inspection_plan_id}/entries/{entry_id}",
    response=responses(InspectionPlanDetailOut, 400, 403, 404, 409, 415),
)
def decide_entry(
    request: AuthedRequest, inspection_plan_id: Id, entry_id: Id, payload: PlanEntryIn
) -> dict[str, Any]:
    """Accept the proposed frequency of a key enterprise (no frequency, or the same) or set another with a reason."""
    plan = get_in_scope(_plans(request), request.user, pk=inspection_plan_id)
    services.decide_entry(
        plan, entry_id, frequency=payload.frequency, reason=payload.reason, actor=request.user
    )
    return plan_out(_plans(request).get(pk=plan.pk), request.user, full=True)


class PlanCoverageRowOut(Schema):
    key: str
    label: str
    due: int
    done: int
    rate: float | None = Field(description="done ÷ due, %")
    enterprises: int
    covered: int


class PlanUncoveredOut(Schema):
    enterprise_id: int
    name: str
    uscc: str
    frequency: int
    band: Band
    explanation: str


class PlanCoverageOut(Schema):
    plan_id: int
    year: int
    months: list[PlanCoverageRowOut] = Field(description="cumulative: due and done by the end of each month")
    townships: list[PlanCoverageRowOut]
    total: PlanCoverageRowOut
    uncovered: list[PlanUncoveredOut]


@router.get("/inspection-plans/{inspection_plan_id}/coverage", response=responses(PlanCoverageOut, 404))
def plan_coverage_view(request: AuthedRequest, inspection_plan_id: Id) -> dict[str, Any]:
    plan = get_in_scope(_plans(request), request.user, pk=inspection_plan_id)
    data = plan_coverage.coverage(plan, plan_coverage.inspected_pairs(plan))
    return {
        "plan_id": plan.pk,
        "year": plan.year,
        "months": [r.as_json() for r in data.months],
        "townships": [r.as_json() for r in data.townships],
        "total": data.total.as_json(),
        "uncovered": [
            {
                "enterprise_id": e.enterprise_id,
                "name": e.enterprise.name,
                "uscc": e.enterprise.uscc,
                "frequency": e.frequency,
                "band": e.band,
                "explanation": e.explanation,
            }
            for e in data.uncovered
        ],
    }
