"""/api/v1 routes of emergency plans and drills (mounted at "/" in anquan/api.py): plans (list, create, detail,
update, files, revise), their filing steps (`/transitions`: GET the ones the caller may take now, POST one), drills
(list, create, detail, files) and `/stats/emergency`."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, plausible_date, responses
from anquan.core.scope import get_in_scope, region_in_scope, restrict
from anquan.regions.inputs import subtree
from anquan.regions.models import Region
from anquan.rescue.stats import summary as rescue_summary
from anquan.standards.schemas import Id, RegionCode

from . import actions, services
from .models import Drill, EmergencyPlan
from .presenting import drill_out, plan_out
from .workflow import FLOW

router = Router(tags=["应急预案"])

# the choices as literals (a TextChoices class would become a schema component named after it, and other apps
# have their own PlanStatus)
PlanKindValue = Literal["comprehensive", "special", "on_site"]
PlanStatusValue = Literal["draft", "submitted", "filed", "returned", "superseded"]
DrillKindValue = Literal["tabletop", "functional", "full_scale"]
RevisionReasonValue = Literal["law", "command", "risk", "resources", "drill_findings", "other"]
RefilingChangeValue = Literal["command_system", "procedure", "measures", "response_levels"]


class EmergencyFileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class EmergencyPlanEventOut(Schema):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class EmergencyPlanOut(Schema):
    id: int
    owner: str = Field(description="编制单位")
    enterprise: str | None = Field(description="USCC; null for a government unit's plan")
    region: str
    owner_department: str | None = Field(description="government plan: the department's code")
    filed_with: str | None = Field(description="code of the department it is filed with")
    filed_with_name: str
    kind: PlanKindValue
    kind_label: str
    title: str
    revision: int
    published_on: dt.date
    status: PlanStatusValue
    status_label: str
    submitted_on: dt.date | None
    filing_due: dt.date | None = Field(description="the department's check deadline (5 working days)")
    filing_days_left: int | None = Field(description="working days left to check it (submitted plans)")
    record_number: str
    filed_on: dt.date | None
    filed_by_lapse: bool = Field(
        description="filed because the check period passed in silence (Order 2 art. 28)"
    )
    filing_note: str
    return_reasons: str
    last_evaluated_on: dt.date | None
    supersedes: int | None
    revision_reasons: list[str]
    refiling_changes: list[str]
    actions: list[str]


class EmergencyPlanDetailOut(EmergencyPlanOut):
    documents: list[EmergencyFileOut]
    events: list[EmergencyPlanEventOut]


class EmergencyPlanIn(Schema):
    kind: PlanKindValue = Field(
        description="comprehensive 综合应急预案 | special 专项应急预案 | on_site 现场处置方案"
    )
    title: str = Field(max_length=200)
    published_on: dt.date
    last_evaluated_on: dt.date | None = None
    filed_with: str | None = Field(
        None, max_length=50, description="department code; default the enterprise's"
    )
    enterprise: str | None = Field(None, max_length=18, description="offices: an enterprise in scope (USCC)")
    region: RegionCode | None = Field(None, description="government plan: the region (default the caller's)")
    owner_department: str | None = Field(None, max_length=50, description="government plan: the department")


class EmergencyPlanUpdateIn(Schema):
    kind: PlanKindValue | None = None
    title: str | None = Field(None, max_length=200)
    published_on: dt.date | None = None
    last_evaluated_on: dt.date | None = None
    filed_with: str | None = Field(None, max_length=50)


class EmergencyPlanRevisionIn(Schema):
    kind: PlanKindValue
    title: str = Field(max_length=200)
    published_on: dt.date
    revision_reasons: list[RevisionReasonValue] = Field(
        min_length=1, max_length=6, description="Order 2 art. 36"
    )
    refiling_changes: list[RefilingChangeValue] = Field(
        [], max_length=4, description="Order 2 art. 37: re-filing"
    )
    filed_with: str | None = Field(None, max_length=50)


class EmergencyPlanFilters(Schema):
    status: PlanStatusValue | None = None
    kind: PlanKindValue | None = None
    region: RegionCode | None = Field(None, description="its subtree")
    enterprise: str | None = Field(None, max_length=18, description="USCC")


class EmergencyPlanTransitionIn(Schema):
    action: Literal["submit", "file", "return", "resubmit"]
    record_number: str | None = Field(None, max_length=50, description="file: the filing record number")
    filed_on: dt.date | None = Field(None, description="file: default today")
    reasons: str | None = Field(None, max_length=2000, description="return: the reasons, stated once")
    comment: str | None = Field(None, max_length=500)


class EmergencyPlanTransitionOption(Schema):
    action: str
    label: str
    fields: list[str]
    required: list[str]


class EmergencyDrillIn(Schema):
    plan: Id
    held_on: dt.date
    kind: DrillKindValue = Field(description="tabletop 桌面推演 | functional 功能演练 | full_scale 实战演练")
    organiser: str = Field(max_length=100)
    participant_count: int = Field(ge=1, le=100000)
    participants: str | None = Field(None, max_length=2000)
    scenario: str = Field(max_length=2000)
    evaluation: str | None = Field(None, max_length=4000)
    improvements: str | None = Field(None, max_length=4000)


class EmergencyDrillOut(Schema):
    id: int
    plan: int
    plan_title: str
    owner: str
    held_on: dt.date
    kind: DrillKindValue
    kind_label: str
    organiser: str
    participant_count: int
    participants: str
    scenario: str
    evaluation: str
    improvements: str
    files: list[EmergencyFileOut]


class EmergencyDrillFilters(Schema):
    plan: Id | None = None
    region: RegionCode | None = None
    year: int | None = Field(None, ge=1949, le=2200)


class EmergencyStatsParams(Schema):
    region: RegionCode | None = Field(None, description="默认调用者所在区域；管辖范围外为404")
    on: dt.date | None = Field(None, description="计算逾期的日期，默认今天")


class RescueKindCountOut(Schema):
    kind: str
    label: str
    count: int


class RescueFiguresOut(Schema):
    """The rescue forces of the region (anquan.rescue.stats.summary)."""

    teams: int
    teams_by_kind: list[RescueKindCountOut]
    members: int
    depots: int
    items_below_minimum: int
    items_expired: int
    units_missing_roster: int = Field(
        description="units that must keep a 24-hour duty roster and have none for the day"
    )


class EmergencyStatsOut(Schema):
    region: str
    on: dt.date
    plans_filed: int
    plans_filed_by_lapse: int = Field(description="of plans_filed: filed by lapse of time")
    plans_returned: int
    plans_awaiting: int = Field(description="submitted, awaiting the department's check")
    plans_draft: int
    units_without_filed_plan: int = Field(description="operating units that must file, with no filed plan")
    evaluations_overdue: int
    filing_late: int = Field(description="plans not filed within 20 working days of publication")
    refiling_due: int
    drills_this_year: int
    units_overdue_drill: int
    rescue: RescueFiguresOut | None = Field(
        description="rescue teams, depots, stock and rosters of the region; null for an enterprise's account"
    )


def _plans(request: AuthedRequest) -> Any:
    return restrict(EmergencyPlan, request.user).select_related(
        "enterprise", "region", "filed_with", "owner_department"
    )


def _detail(request: AuthedRequest, pk: int) -> dict[str, Any]:
    return plan_out(get_in_scope(_plans(request), request.user, pk=pk), request.user, full=True)


@router.get("/emergency-plans", response=responses(Page[EmergencyPlanOut]))
def list_plans(
    request: AuthedRequest, filters: Query[EmergencyPlanFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _plans(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        qs = qs.filter(subtree(filters.region))
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.strip().upper())
    return page(qs, paging, lambda p: plan_out(p, request.user))


@router.post("/emergency-plans", response=responses({201: EmergencyPlanDetailOut}, 400, 403, 404, 415))
def create_plan(request: AuthedRequest, payload: EmergencyPlanIn) -> Status[dict[str, Any]]:
    """A plan of the caller's enterprise; an office's or department's for an enterprise in scope (`enterprise`) or
    for a government unit (`region`, `owner_department`). It starts as a draft; attach its documents, then submit."""
    plan = actions.create_plan(payload.dict(exclude_none=True), actor=request.user)
    return Status(201, _detail(request, plan.pk))


@router.get("/emergency-plans/{plan_id}", response=responses(EmergencyPlanDetailOut, 404))
def get_plan(request: AuthedRequest, plan_id: Id) -> dict[str, Any]:
    return _detail(request, plan_id)


@router.patch("/emergency-plans/{plan_id}", response=responses(EmergencyPlanDetailOut, 400, 403, 404, 415))
def update_plan(request: AuthedRequest, plan_id: Id, payload: EmergencyPlanUpdateIn) -> dict[str, Any]:
    """Change a draft or returned plan; a filed plan only its last evaluation date (a content change is a revision)."""
    plan = get_in_scope(_plans(request), request.user, pk=plan_id)
    actions.update_plan(plan, payload.dict(exclude_unset=True, exclude_none=True), actor=request.user)
    return _detail(request, plan_id)


@router.post(
    "/emergency-plans/{plan_id}/revisions",
    response=responses({201: EmergencyPlanDetailOut}, 400, 403, 404, 409, 415),
)
def revise_plan(
    request: AuthedRequest, plan_id: Id, payload: EmergencyPlanRevisionIn
) -> Status[dict[str, Any]]:
    """A new revision (Order 2 art. 36) superseding this plan; changes listed in art. 37 require re-filing."""
    plan = get_in_scope(_plans(request), request.user, pk=plan_id)
    new = actions.revise(plan, payload.dict(exclude_none=True), actor=request.user)
    return Status(201, _detail(request, new.pk))


@router.post(
    "/emergency-plans/{plan_id}/files", response=responses({201: EmergencyFileOut}, 400, 403, 404, 413, 415)
)
def upload_plan_file(request: AuthedRequest, plan_id: Id, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """A document of the plan (multipart `file`; PDF or Word, checked by content and size)."""
    plan = get_in_scope(_plans(request), request.user, pk=plan_id)
    doc = actions.add_document(plan, file, actor=request.user)
    return Status(201, [d for d in _detail(request, plan.pk)["documents"] if d["id"] == doc.pk][0])


@router.get(
    "/emergency-plans/{plan_id}/transitions", response=responses(list[EmergencyPlanTransitionOption], 404)
)
def plan_transitions(request: AuthedRequest, plan_id: Id) -> list[dict[str, Any]]:
    """The filing steps the caller may take on this plan now, with the fields each takes."""
    plan = get_in_scope(_plans(request), request.user, pk=plan_id)
    return [
        {
            "action": a,
            "label": FLOW.transitions[a].label,
            "fields": list(FLOW.transitions[a].fields),
            "required": list(FLOW.transitions[a].required),
        }
        for a in FLOW.available(plan, request.user)
        if a != "supersede"
    ]


@router.post(
    "/emergency-plans/{plan_id}/transitions",
    response=responses(EmergencyPlanDetailOut, 400, 403, 404, 409, 415),
)
def plan_transition(
    request: AuthedRequest, plan_id: Id, payload: EmergencyPlanTransitionIn
) -> dict[str, Any]:
    """`submit` / `resubmit` (the unit; the department then has 5 working days, after which silence counts as filed)
    · `file` (the department: `record_number`, optional `filed_on`) · `return` (the department: `reasons`)."""
    plan = get_in_scope(_plans(request), request.user, pk=plan_id)
    actions.transition(plan, payload.action, actor=request.user, **payload.dict(exclude={"action"}))
    return _detail(request, plan_id)


def _drills(request: AuthedRequest) -> Any:
    return restrict(Drill, request.user).select_related(
        "plan", "plan__enterprise", "plan__region", "plan__owner_department"
    )


@router.get("/drills", response=responses(Page[EmergencyDrillOut]))
def list_drills(
    request: AuthedRequest, filters: Query[EmergencyDrillFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _drills(request)
    if filters.plan:
        qs = qs.filter(plan_id=filters.plan)
    if filters.region:
        qs = qs.filter(subtree(filters.region, "plan__region_code"))
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    return page(qs.prefetch_related("files"), paging, drill_out)


@router.post("/drills", response=responses({201: EmergencyDrillOut}, 400, 403, 404, 415))
def create_drill(request: AuthedRequest, payload: EmergencyDrillIn) -> Status[dict[str, Any]]:
    """Record a drill held on a plan of the caller's unit (photos and the report: POST /drills/{id}/files)."""
    plan = get_in_scope(_plans(request), request.user, pk=payload.plan)
    drill = actions.record_drill(plan, payload.dict(exclude={"plan"}), actor=request.user)
    return Status(201, drill_out(_drills(request).get(pk=drill.pk)))


@router.get("/drills/{drill_id}", response=responses(EmergencyDrillOut, 404))
def get_drill(request: AuthedRequest, drill_id: Id) -> dict[str, Any]:
    return drill_out(get_in_scope(_drills(request), request.user, pk=drill_id))


@router.post("/drills/{drill_id}/files", response=responses({201: EmergencyFileOut}, 400, 403, 404, 413, 415))
def upload_drill_file(
    request: AuthedRequest, drill_id: Id, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """A photo of the drill or its report (multipart `file`)."""
    drill = get_in_scope(_drills(request), request.user, pk=drill_id)
    row = actions.add_drill_file(drill, file, actor=request.user)
    return Status(201, [f for f in drill_out(drill)["files"] if f["id"] == row.pk][0])


def stats_region(user: Any, code: str | None) -> Region:
    region = Region.objects.filter(code=code).first() if code else getattr(user, "region", None)
    if region is None or not region_in_scope(user, region.code):
        raise Http404
    return region


@router.get("/stats/emergency", response=responses(EmergencyStatsOut, 404, 422))
def emergency_stats(request: AuthedRequest, params: Query[EmergencyStatsParams]) -> dict[str, Any]:
    """Plans filed / returned / awaiting / filed by lapse, units with no filed plan, evaluations overdue, plans not
    filed in time, revisions to re-file, drills this year and units overdue for a drill — in the caller's scope."""
    region = stats_region(request.user, params.region)
    on = plausible_date(params.on, "on") or timezone.localdate()
    prefix = "" if request.user.enterprise_id else region.prefix
    figures = services.statistics(request.user, prefix, on)
    rescue = None if request.user.enterprise_id else rescue_summary(request.user, region.code, on)
    return {"region": region.code, "on": on, "rescue": rescue} | figures
