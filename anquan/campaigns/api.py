"""/api/v1 routes of campaigns: campaigns (+ stages, battles, transitions), campaign tasks (+ transitions, events),
the progress figures (`/stats/campaigns`); imports and dispatches add their own routers at the end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import Conflict, FieldError, ValidationFailed
from anquan.core.scope import get_in_scope, restrict
from anquan.regions.models import Region
from anquan.standards.schemas import Id, RegionCode

from . import presenting, services, stats
from .choices import TaskStatus
from .models import Campaign, Task

router = Router(tags=["专项整治"])

from .api_import import router as import_router  # noqa: E402  (import15: task-list import and export)

router.add_router("", import_router)
from .api_dispatch import router as dispatch_router  # noqa: E402  (dispatch15: dispatches and reports)

router.add_router("", dispatch_router)

# ---- schemas --------------------------------------------------------------------------------------------


class StageIn(Schema):
    name: str = Field(max_length=100, description="动员部署、集中攻坚、巩固提升…")
    starts_on: dt.date
    ends_on: dt.date


class BattleIn(Schema):
    number: str = Field("", max_length=20, description="一、二… or 1、2…")
    name: str = Field(max_length=200)
    lead_text: str = Field("", max_length=200, description="牵头单位 as written")


class StagesIn(Schema):
    stages: list[StageIn] = Field(max_length=50)


class BattlesIn(Schema):
    battles: list[BattleIn] = Field(max_length=50)


class CampaignStageOut(StageIn):
    id: int


class BattleOut(BattleIn):
    id: int


class CampaignIn(Schema):
    name: str = Field(max_length=200)
    short_name: str = Field("", max_length=60)
    document_number: str = Field("", max_length=60, description="赣安〔2021〕2号")
    description: str = Field("", max_length=20000)
    starts_on: dt.date
    ends_on: dt.date
    region: RegionCode | None = Field(None, description="default: the caller's region (its office)")
    parent: int | None = Field(None, ge=1, description="the higher level's campaign it adopts tasks from")
    stages: list[StageIn] = Field(default_factory=list, max_length=50)
    battles: list[BattleIn] = Field(default_factory=list, max_length=50)


class CampaignPatch(Schema):
    name: str | None = Field(None, max_length=200)
    short_name: str | None = Field(None, max_length=60)
    document_number: str | None = Field(None, max_length=60)
    description: str | None = Field(None, max_length=20000)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    stages: list[StageIn] | None = Field(None, max_length=50, description="replaces the stages")
    battles: list[BattleIn] | None = Field(None, max_length=50, description="replaces the battles")


class CampaignOut(Schema):
    id: int
    name: str
    short_name: str
    document_number: str
    description: str
    region: str
    region_name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    status_label: str
    parent: int | None
    stages: list[CampaignStageOut]
    battles: list[BattleOut]
    progress: str = Field(description="239项任务，已完成227项，完成率95.0%")
    actions: list[str]


class CampaignTransitionIn(Schema):
    action: Literal["activate", "close"]
    comment: str = Field("", max_length=2000)


class UnitIn(Schema):
    role: Literal["organise", "lead", "jointly", "share", "implement", "responsible"]
    text: str = Field(max_length=200, description="as written: 市应急管理局, 各县(市、区)")
    kind: Literal["department", "region", "child_regions", "members", "unrecognised"]
    region: RegionCode | None = Field(None, description="region: that region; child_regions: whose children")
    department: str | None = Field(None, max_length=50, description="department: its code or name")


class TaskUnitOut(Schema):
    id: int
    role: str
    role_label: str
    text: str
    kind: str
    kind_label: str
    region: str | None
    department: str | None


class TargetIn(Schema):
    name: str = Field(max_length=200, description="培训、持证上岗率、重大隐患清零")
    unit: str = Field("", max_length=20)
    planned: Decimal = Field(max_digits=14, decimal_places=2)
    source: Literal["manual", "automatic"] = "manual"
    metric: str = Field("", max_length=40, description="automatic: a metric key (campaigns.metrics)")


class CampaignTargetOut(Schema):
    id: int
    name: str
    unit: str
    planned: Decimal
    source: str
    metric: str
    metric_label: str
    actual: Decimal | None
    actual_on: dt.date | None = Field(description="the day an automatic figure was read, or reported")
    note: str = Field(description="系统自动取数 for an automatic target")


class TaskIn(Schema):
    campaign: int = Field(ge=1)
    number: str = Field(max_length=20)
    title: str = Field(max_length=300)
    content: str = Field("", max_length=20000)
    battle: int | None = Field(None, ge=1)
    stage: int | None = Field(None, ge=1)
    deadline: dt.date | None = None
    units: list[UnitIn] = Field(default_factory=list, max_length=50)
    targets: list[TargetIn] = Field(default_factory=list, max_length=50)
    adopt_from: int | None = Field(
        None,
        ge=1,
        description="a higher campaign's task this line takes over (title, content, targets copied)",
    )


class TaskOut(Schema):
    id: int
    campaign: int
    parent: int | None
    adopted_from: int | None
    number: str
    title: str
    battle: int | None
    battle_name: str
    stage: int | None
    region: str
    region_name: str
    department: str | None
    unit_label: str
    deadline: dt.date | None
    status: str
    status_label: str
    done_on: dt.date | None
    verified_on: dt.date | None
    subtasks_total: int
    subtasks_done: int
    actions: list[str]


class TaskDetailOut(TaskOut):
    content: str
    units: list[TaskUnitOut]
    targets: list[CampaignTargetOut]
    subtasks: list[TaskOut]


class CampaignTaskFilters(Schema):
    campaign: int | None = Field(None, ge=1)
    status: TaskStatus | None = None
    battle: int | None = Field(None, ge=1)
    unit: str | None = Field(None, max_length=100, description="part of the responsible unit's name")
    region: RegionCode | None = Field(None, description="responsible unit in this region's subtree")
    lines: bool | None = Field(None, description="true: lines of the list only; false: sub-tasks only")


class TaskTransitionIn(Schema):
    action: Literal["start", "report_done", "verify", "send_back"]
    comment: str = Field("", max_length=2000, description="send_back: the reason (required)")
    status: TaskStatus | None = Field(None, description="the status as read; another: 409 stale")


class EventOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class CampaignStatsParams(Schema):
    campaign: int = Field(ge=1)


class BattleProgress(Schema):
    battle: int | None
    name: str
    lead: str
    total: int
    verified_done: int
    overdue: int
    rate: str


class UnitProgress(Schema):
    unit: str
    total: int
    verified_done: int
    overdue: int
    rate: str


class OverdueTask(Schema):
    id: int
    number: str
    title: str
    unit: str
    deadline: dt.date | None
    line: int | None


class MonthCount(Schema):
    month: str = Field(description="2026-11")
    verified_done: int


class CampaignStatsOut(Schema):
    campaign: int
    name: str
    total: int = Field(description="lines of the task list (or the caller's own sub-tasks)")
    verified_done: int
    overdue_count: int
    rate: str = Field(description="verified_done / total × 100, one decimal: 95.0")
    sentence: str
    by_battle: list[BattleProgress]
    by_unit: list[UnitProgress]
    overdue: list[OverdueTask]
    trend: list[MonthCount]


# ---- campaigns ----------------------------------------------------------------------------------------------


def _campaign(request: AuthedRequest, campaign_id: int) -> Campaign:
    return stats.campaign_for(request.user, campaign_id)


@router.get("/campaigns", response=responses(Page[CampaignOut]))
def list_campaigns(
    request: AuthedRequest,
    paging: Query[PageParams],
    status: Literal["draft", "active", "closed"] | None = None,
) -> dict[str, Any]:
    qs = stats.visible_campaigns(request.user)
    if status:
        qs = qs.filter(status=status)
    return page(qs, paging, lambda c: presenting.campaign_out(c, request.user))


@router.post("/campaigns", response=responses({201: CampaignOut}, 400, 403, 404, 409, 415))
def create_campaign(request: AuthedRequest, payload: CampaignIn) -> Status[dict[str, Any]]:
    """A draft campaign of the caller's office (or of `region`, which must be the caller's), with its stages and
    battles."""
    user = request.user
    region = user.region
    if payload.region and payload.region != region.code:
        raise ValidationFailed([FieldError("region", "not_own", "只能为本级创建专项整治")])
    parent = _campaign(request, payload.parent) if payload.parent else None
    from django.db import transaction

    with transaction.atomic():
        campaign = services.create_campaign(
            region=Region.objects.get(pk=region.pk), raw=payload.dict(), actor=user, parent=parent
        )
        if payload.stages:
            services.set_stages(campaign, [s.dict() for s in payload.stages], actor=user)
        if payload.battles:
            services.set_battles(campaign, [b.dict() for b in payload.battles], actor=user)
    return Status(201, presenting.campaign_out(campaign, user))


@router.get("/campaigns/{campaign_id}", response=responses(CampaignOut, 404))
def get_campaign(request: AuthedRequest, campaign_id: Id) -> dict[str, Any]:
    return presenting.campaign_out(_campaign(request, campaign_id), request.user)


@router.patch("/campaigns/{campaign_id}", response=responses(CampaignOut, 400, 403, 404, 415))
def patch_campaign(request: AuthedRequest, campaign_id: Id, payload: CampaignPatch) -> dict[str, Any]:
    """Change the fields given; `stages` / `battles`, when given, replace the lists (a stage or battle kept by name
    keeps its tasks)."""
    from django.db import transaction

    campaign = _campaign(request, campaign_id)
    raw = payload.dict(exclude_unset=True)
    stages, battles = raw.pop("stages", None), raw.pop("battles", None)
    with transaction.atomic():
        campaign = services.update_campaign(campaign, raw, actor=request.user)
        if stages is not None:
            services.set_stages(campaign, stages, actor=request.user)
        if battles is not None:
            services.set_battles(campaign, battles, actor=request.user)
    return presenting.campaign_out(campaign, request.user)


@router.get("/campaigns/{campaign_id}/stages", response=responses(list[CampaignStageOut], 404))
def campaign_stages(request: AuthedRequest, campaign_id: Id) -> list[Any]:
    return list(_campaign(request, campaign_id).stages.all())


@router.put("/campaigns/{campaign_id}/stages", response=responses(list[CampaignStageOut], 400, 403, 404, 415))
def put_stages(request: AuthedRequest, campaign_id: Id, payload: StagesIn) -> list[Any]:
    """Replace the stages (a stage kept by name keeps its tasks)."""
    return services.set_stages(
        _campaign(request, campaign_id), [s.dict() for s in payload.stages], actor=request.user
    )


@router.get("/campaigns/{campaign_id}/battles", response=responses(list[BattleOut], 404))
def campaign_battles(request: AuthedRequest, campaign_id: Id) -> list[Any]:
    return list(_campaign(request, campaign_id).battles.all())


@router.put("/campaigns/{campaign_id}/battles", response=responses(list[BattleOut], 400, 403, 404, 415))
def put_battles(request: AuthedRequest, campaign_id: Id, payload: BattlesIn) -> list[Any]:
    """Replace the battles or sections (a battle kept by name keeps its tasks)."""
    return services.set_battles(
        _campaign(request, campaign_id), [b.dict() for b in payload.battles], actor=request.user
    )


@router.post("/campaigns/{campaign_id}/transitions", response=responses(CampaignOut, 400, 403, 404, 409, 415))
def campaign_transition(
    request: AuthedRequest, campaign_id: Id, payload: CampaignTransitionIn
) -> dict[str, Any]:
    """`activate` (draft → active) · `close` (active → closed), by the office of the campaign's region."""
    campaign = services.campaign_transition(
        _campaign(request, campaign_id), payload.action, actor=request.user, comment=payload.comment
    )
    return presenting.campaign_out(campaign, request.user)


# ---- tasks ------------------------------------------------------------------------------------------------------


def _tasks(request: AuthedRequest) -> QuerySet[Task]:
    return restrict(Task, request.user).select_related("campaign", "region", "department", "battle")


@router.get("/campaign-tasks", response=responses(Page[TaskOut], 400))
def list_tasks(
    request: AuthedRequest, filters: Query[CampaignTaskFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = presenting.filtered(_tasks(request), filters.dict())
    return page(qs, paging, lambda t: presenting.task_out(t, request.user))


@router.post("/campaign-tasks", response=responses({201: TaskDetailOut}, 400, 403, 404, 409, 415))
def create_task(request: AuthedRequest, payload: TaskIn) -> Status[dict[str, Any]]:
    """A line of a campaign's task list, fanned out into one sub-task per responsible unit (各县(市、区): one per
    county; 市直有关部门 (`members`): one per member department of the region's committee; an unrecognised unit:
    none until mapped). With `adopt_from`: the line takes over that task of the higher campaign."""
    campaign = _campaign(request, payload.campaign)
    raw = payload.dict()
    if payload.adopt_from:
        source = get_in_scope(
            Task.objects.select_related("campaign__region"), request.user, pk=payload.adopt_from
        )
        battle = campaign.battles.filter(pk=payload.battle).first() if payload.battle else None
        line = services.adopt_task(
            source,
            campaign,
            units=services.resolve_units(raw["units"]),
            actor=request.user,
            number=payload.number,
            deadline=payload.deadline,
            battle=battle,
        )
    else:
        line = services.task_from_raw(campaign, raw, actor=request.user)
    return Status(201, presenting.task_out(_tasks(request).get(pk=line.pk), request.user, full=True))


@router.get("/campaign-tasks/{campaign_task_id}", response=responses(TaskDetailOut, 404))
def get_task(request: AuthedRequest, campaign_task_id: Id) -> dict[str, Any]:
    return presenting.task_out(
        get_in_scope(_tasks(request), request.user, pk=campaign_task_id), request.user, full=True
    )


@router.post(
    "/campaign-tasks/{campaign_task_id}/transitions",
    response=responses(TaskDetailOut, 400, 403, 404, 409, 415),
)
def task_transition(
    request: AuthedRequest, campaign_task_id: Id, payload: TaskTransitionIn
) -> dict[str, Any]:
    """`start` · `report_done` (the responsible unit, on its own sub-task) · `verify` · `send_back` (comment: the
    reason; the office of the campaign's region). A line with sub-tasks rolls up from them (409 `has_subtasks`)."""
    task = get_in_scope(_tasks(request), request.user, pk=campaign_task_id)
    if payload.status and payload.status != task.status:
        raise Conflict("stale", "该任务已被他人处理，请刷新后重试")
    services.task_transition(task, payload.action, actor=request.user, comment=payload.comment)
    return presenting.task_out(_tasks(request).get(pk=task.pk), request.user, full=True)


@router.get("/campaign-tasks/{campaign_task_id}/events", response=responses(list[EventOut], 404))
def task_events(request: AuthedRequest, campaign_task_id: Id) -> list[dict[str, Any]]:
    task = get_in_scope(_tasks(request), request.user, pk=campaign_task_id)
    return [e.as_json() for e in task.events.all()]


# ---- figures ----------------------------------------------------------------------------------------------------


@router.get("/stats/campaigns", response=responses(CampaignStatsOut, 400, 404))
def campaign_stats(request: AuthedRequest, params: Query[CampaignStatsParams]) -> dict[str, Any]:
    """Progress of a campaign: lines verified done / lines (the rate, one decimal), by battle, by unit (sub-tasks),
    the overdue tasks and the lines verified per month."""
    return stats.progress(_campaign(request, params.campaign), request.user)


# ---- the other helpers' routers (import15, dispatch15) are added below, one line each ----------------------------
