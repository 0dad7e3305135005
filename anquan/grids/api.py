"""/api/v1 routes of grids: `/grids` (grid units), `/patrols` (patrol tasks and their visits), `/stats/grids`
(patrols done and missed by township, village and worker). `public_router` (mounted at /public) holds nothing yet."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, plausible_date, responses
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, region_in_scope, restrict, within
from anquan.regions.models import Grid, Region
from anquan.standards.schemas import Id, RegionCode, Uscc

from . import services as patrols
from . import stats, units
from .choices import PatrolStatus
from .models import PatrolTask, PatrolVisit

router = Router(tags=["网格巡查"])
public_router = Router(tags=["网格巡查（公众）"])

GridLevelIn = Literal["township", "village", "enterprise"]


class GridIn(Schema):
    level: GridLevelIn = Field(description="township | village | enterprise (an enterprise-internal unit)")
    region: RegionCode | None = Field(
        None, description="the township's or village's code (not for enterprise)"
    )
    enterprise: Uscc | None = Field(None, description="USCC of the enterprise (level enterprise)")
    name: str = Field(max_length=units.NAME_MAX)
    head_name: str | None = Field(None, max_length=units.HEAD_MAX, description="网格长 / 网格单元负责人")
    head_phone: str | None = Field(None, max_length=units.PHONE_MAX)
    scope_note: str | None = Field(None, max_length=units.NOTE_MAX, description="area or posts covered")
    workers: list[Id] | None = Field(
        None, max_length=units.WORKERS_MAX, description="user ids of grid workers"
    )


class GridPatch(Schema):
    name: str | None = Field(None, max_length=units.NAME_MAX)
    head_name: str | None = Field(None, max_length=units.HEAD_MAX)
    head_phone: str | None = Field(None, max_length=units.PHONE_MAX)
    scope_note: str | None = Field(None, max_length=units.NOTE_MAX)
    workers: list[Id] | None = Field(None, max_length=units.WORKERS_MAX)


class WorkerOut(Schema):
    id: int
    name: str
    phone: str


class GridOut(Schema):
    id: int
    code: str
    name: str
    level: str
    region: str
    region_name: str
    enterprise: str | None
    head_name: str
    head_phone: str
    scope_note: str
    workers: list[WorkerOut]
    patrol_frequency: str | None = Field(
        description="day | week | month; '' follows the rule data; null: no plan"
    )


class GridFilters(Schema):
    region: RegionCode | None = Field(None, description="grids in this region and below")
    level: GridLevelIn | None = None


def _grid_out(g: Grid) -> dict[str, Any]:
    plan = getattr(g, "patrol_plan", None)
    return {
        "id": g.pk,
        "code": g.code,
        "name": g.name,
        "level": g.level,
        "region": g.region.code,
        "region_name": g.region.full_name,
        "enterprise": g.enterprise.uscc if g.enterprise_id else None,
        "head_name": g.head_name,
        "head_phone": g.head_phone,
        "scope_note": g.scope_note,
        "workers": [
            {"id": w.pk, "name": w.full_name or w.username, "phone": w.phone} for w in g.workers.all()
        ],
        "patrol_frequency": (plan.frequency if plan.active else None) if plan else None,
    }


def _grids(request: AuthedRequest) -> QuerySet[Grid]:
    return (
        restrict(Grid, request.user)
        .select_related("region", "enterprise", "patrol_plan")
        .prefetch_related("workers")
    )


@router.get("/grids", response=responses(Page[GridOut]))
def api_list_grids(
    request: AuthedRequest, filters: Query[GridFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _grids(request)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        qs = qs.filter(within(region.prefix)) if region else qs.none()
    if filters.level:
        qs = qs.filter(level=filters.level)
    return page(qs.order_by("code"), paging, _grid_out)


@router.get("/grids/{grid_id}", response=responses(GridOut, 404))
def api_get_grid(request: AuthedRequest, grid_id: Id) -> dict[str, Any]:
    return _grid_out(get_in_scope(_grids(request), request.user, pk=grid_id))


@router.post("/grids", response=responses({201: GridOut}, 400, 403, 409, 415))
def api_create_grid(request: AuthedRequest, payload: GridIn) -> Status[dict[str, Any]]:
    raw = payload.dict(exclude_none=True)
    grid = units.create_grid(raw, actor=request.user)
    return Status(201, _grid_out(_grids(request).get(pk=grid.pk)))


@router.patch("/grids/{grid_id}", response=responses(GridOut, 400, 403, 404, 409, 415))
def api_change_grid(request: AuthedRequest, grid_id: Id, payload: GridPatch) -> dict[str, Any]:
    """Change name, head, scope note and/or workers (fields left out stay)."""
    grid = get_in_scope(_grids(request), request.user, pk=grid_id)
    if not units.can_manage(request.user, grid):
        raise NotPermitted("您无权修改该网格")
    units.update_grid(grid, payload.dict(exclude_unset=True), actor=request.user)
    return _grid_out(_grids(request).get(pk=grid.pk))


# --- patrols -------------------------------------------------------------------------------------------


class PatrolTargetOut(Schema):
    target: str = Field(description='"venue:<id>" or "enterprise:<id>"')
    name: str
    kind: str
    label: str
    visited: bool
    ok: bool | None
    hazard: int | None


class PatrolOut(Schema):
    id: int
    grid: int
    grid_name: str
    worker: int | None
    frequency: str
    period_start: dt.datetime
    period_end: dt.datetime
    status: str = Field(description="open | done | missed")
    checked_in_at: dt.datetime | None
    targets: list[PatrolTargetOut]


class VisitIn(Schema):
    target: str = Field(
        max_length=40, description='"venue:<id>" or "enterprise:<id>", one of the task\'s targets'
    )
    outcome: Literal["normal", "hazard"]
    failed: list[str] = Field(
        default_factory=list, max_length=50, description="checklist item codes found wrong"
    )
    description: str | None = Field(
        None, max_length=patrols.NOTE_MAX, description="the hazard (outcome hazard)"
    )
    note: str | None = Field(None, max_length=patrols.NOTE_MAX)
    latitude: float | None = None
    longitude: float | None = None
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class VisitOut(Schema):
    id: int
    task: int
    target: str
    ok: bool
    hazard: int | None
    visited_at: dt.datetime
    task_status: str


class PatrolFilters(Schema):
    status: PatrolStatus | None = None
    grid: Id | None = None
    date_from: dt.date | None = Field(None, alias="from", description="period starts on or after (local day)")
    date_to: dt.date | None = Field(None, alias="to", description="period starts on or before (local day)")


def _patrol_out(t: PatrolTask) -> dict[str, Any]:
    visits = {(v.target_type, v.target_id): v for v in t.visits.all()}
    targets = []
    for item in t.targets:
        visit = visits.get((item["type"], int(item["id"])))
        targets.append(
            {
                "target": f"{item['type']}:{item['id']}",
                "name": item["name"],
                "kind": item.get("kind") or "",
                "label": patrols.target_label(item),
                "visited": visit is not None,
                "ok": visit.ok if visit else None,
                "hazard": visit.hazard_id if visit else None,
            }
        )
    return {
        "id": t.pk,
        "grid": t.grid_id,
        "grid_name": t.grid.name,
        "worker": t.worker_id,
        "frequency": t.frequency,
        "period_start": t.period_start,
        "period_end": t.period_end,
        "status": t.status,
        "checked_in_at": t.checked_in_at,
        "targets": targets,
    }


def _tasks(request: AuthedRequest) -> QuerySet[PatrolTask]:
    return restrict(PatrolTask, request.user).select_related("grid").prefetch_related("visits")


def _days(date_from: dt.date | None, date_to: dt.date | None) -> tuple[dt.date | None, dt.date | None]:
    date_from, date_to = plausible_date(date_from, "from"), plausible_date(date_to, "to")
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed([FieldError("from", "invalid", "开始日期不能晚于结束日期")])
    return date_from, date_to


@router.get("/patrols", response=responses(Page[PatrolOut]))
def api_list_patrols(
    request: AuthedRequest, filters: Query[PatrolFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    date_from, date_to = _days(filters.date_from, filters.date_to)
    qs = _tasks(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.grid:
        qs = qs.filter(grid_id=filters.grid)
    if date_from:
        qs = qs.filter(period_start__date__gte=date_from)
    if date_to:
        qs = qs.filter(period_start__date__lte=date_to)
    return page(qs.order_by("-period_start", "id"), paging, _patrol_out)


@router.get("/patrols/{patrol_id}", response=responses(PatrolOut, 404))
def api_get_patrol(request: AuthedRequest, patrol_id: Id) -> dict[str, Any]:
    return _patrol_out(get_in_scope(_tasks(request), request.user, pk=patrol_id))


class CheckInIn(Schema):
    latitude: float | None = Field(None, description="where the phone was, if it said")
    longitude: float | None = None


@router.post("/patrols/{patrol_id}/check-in", response=responses(PatrolOut, 400, 403, 404, 409, 415))
def api_check_in(request: AuthedRequest, patrol_id: Id, payload: CheckInIn) -> dict[str, Any]:
    """签到 of a grid worker of the task's grid: the time and, if given, the location. A second check-in keeps the
    first (answered as it stands); a patrol that is done or missed answers 409."""
    task = get_in_scope(_tasks(request), request.user, pk=patrol_id)
    patrols.check_in(task, payload.dict(exclude_none=True), actor=request.user)
    return _patrol_out(_tasks(request).get(pk=task.pk))


@router.post("/patrols/{patrol_id}/visits", response=responses({201: VisitOut}, 400, 403, 404, 409, 415))
def api_record_visit(request: AuthedRequest, patrol_id: Id, payload: VisitIn) -> Status[dict[str, Any]]:
    """One target's result: 正常, or a hazard (reported with source grid_patrol). Sent again with the same
    idempotency key, the first answer is replayed and nothing is recorded twice; a target already recorded
    without the key answers 409."""
    task = get_in_scope(_tasks(request), request.user, pk=patrol_id)

    def create() -> tuple[int, dict[str, Any]]:
        raw = payload.dict(exclude_none=True)
        raw.pop("idempotency_key", None)
        visit = patrols.record_visit(task, raw, actor=request.user)
        return 201, _visit_out(visit)

    status, body = run_once(request, "grids.visit", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


def _visit_out(v: PatrolVisit) -> dict[str, Any]:
    return {
        "id": v.pk,
        "task": v.task_id,
        "target": f"{v.target_type}:{v.target_id}",
        "ok": v.ok,
        "hazard": v.hazard_id,
        "visited_at": v.visited_at.isoformat(),
        "task_status": PatrolTask.objects.values_list("status", flat=True).get(pk=v.task_id),
    }


# --- statistics ----------------------------------------------------------------------------------------


class StatsRowOut(Schema):
    key: str = Field(description="region code, or user id")
    name: str
    total: int
    done: int
    missed: int
    open: int
    findings: int = Field(description="visits that reported a hazard")


class GridStatsOut(Schema):
    region: str
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    total: StatsRowOut
    townships: list[StatsRowOut]
    villages: list[StatsRowOut]
    workers: list[StatsRowOut]


class StatsFilters(Schema):
    region: RegionCode | None = Field(None, description="default: the user's own region")
    date_from: dt.date | None = Field(None, alias="from", description="default: the first day of the month")
    date_to: dt.date | None = Field(None, alias="to", description="default: today")


@router.get("/stats/grids", response=responses(GridStatsOut, 404), by_alias=True)
def api_grid_stats(request: AuthedRequest, filters: Query[StatsFilters]) -> dict[str, Any]:
    """Patrol tasks, done, missed (ended periods marked first), still open, and the hazards found, by township,
    village and worker, of the grids inside `region` in the user's scope, over the local days [from, to]."""
    user = request.user
    date_from, date_to = _days(filters.date_from, filters.date_to)
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to.replace(day=1)
    if date_from > date_to:
        raise ValidationFailed([FieldError("from", "invalid", "开始日期不能晚于结束日期")])
    region = user.region
    if filters.region:
        found = Region.objects.filter(code=filters.region).first()
        if found is None:
            raise ValidationFailed([FieldError("region", "unknown", "区域代码不存在")])
        if not region_in_scope(user, found.code):
            raise Http404

        region = found
    scoped = restrict(PatrolTask, user)
    patrols.mark_missed(tasks=scoped)
    counts = stats.missed(region, date_from, date_to, scoped)

    def row(r: stats.Row) -> dict[str, Any]:
        return {k: getattr(r, k) for k in ("key", "name", "total", "done", "missed", "open", "findings")}

    return {
        "region": region.code,
        "from": date_from,
        "to": date_to,
        "total": row(counts.total),
        "townships": [row(r) for r in counts.townships],
        "villages": [row(r) for r in counts.villages],
        "workers": [row(r) for r in counts.workers],
    }


# a grid's patrol plan and its allowances: api_plans.py
from .api_plans import router as _plans_router  # noqa: E402

router.add_router("", _plans_router)
