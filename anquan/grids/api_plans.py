"""A grid's patrol plan and its village safety officers' monthly allowances over the API (mounted under
/api/v1 by api.py; services.save_plan and units.record_allowances, the same as the grid page's forms):

- `PUT  /grids/{id}/plan`         frequency (day | week | month, or "" to follow the rule data) and active
- `GET  /grids/{id}/allowances`   the grid's recorded allowances, newest month first
- `POST /grids/{id}/allowances`   one month for every worker of a village grid (a month already recorded stays)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.errors import NotPermitted
from anquan.core.scope import get_in_scope, restrict
from anquan.regions.models import Grid
from anquan.standards.schemas import Id

from . import services as patrols
from . import units
from .models import Allowance, PatrolPlan

router = Router(tags=["网格巡查"])


class PlanIn(Schema):
    frequency: Literal["", "day", "week", "month"] = Field(
        description='day | week | month; "" follows the rule data (grids.patrol)'
    )
    active: bool = True


class PlanOut(Schema):
    grid: int
    frequency: str = Field(description='day | week | month; "" follows the rule data')
    active: bool
    open_patrol: int | None = Field(
        description="the running period's patrol task, made when the plan is saved"
    )


class AllowanceIn(Schema):
    month: str = Field(max_length=7, description="YYYY-MM")
    amount: Decimal | None = Field(None, description="yuan; default: the rule data's monthly amount")


class AllowanceOut(Schema):
    id: int
    grid: int
    worker: int
    worker_name: str
    month: dt.date = Field(description="the month's first day")
    amount: Decimal
    recorded_at: dt.datetime


def _grid(request: AuthedRequest, grid_id: int) -> Grid:
    return get_in_scope(
        restrict(Grid, request.user).select_related("region", "enterprise"), request.user, pk=grid_id
    )


def _allowance_out(a: Allowance) -> dict[str, Any]:
    return {
        "id": a.pk,
        "grid": a.grid_id,
        "worker": a.worker_id,
        "worker_name": a.worker.full_name or a.worker.username,
        "month": a.month,
        "amount": a.amount,
        "recorded_at": a.recorded_at,
    }


@router.put("/grids/{grid_id}/plan", response=responses(PlanOut, 400, 403, 404, 415))
def api_save_plan(request: AuthedRequest, grid_id: Id, payload: PlanIn) -> dict[str, Any]:
    """Set how often the grid is patrolled (audited); the running period's task is made at once."""
    grid = _grid(request, grid_id)
    if not units.can_manage(request.user, grid) or request.user.enterprise_id:
        raise NotPermitted("您无权修改该网格的巡查计划")
    plan: PatrolPlan = patrols.save_plan(
        grid,
        {"frequency": payload.frequency, "active": "true" if payload.active else "false"},
        actor=request.user,
    )
    running = plan.tasks.filter(status="open").order_by("-period_start").values_list("pk", flat=True).first()
    return {"grid": grid.pk, "frequency": plan.frequency, "active": plan.active, "open_patrol": running}


@router.get("/grids/{grid_id}/allowances", response=responses(list[AllowanceOut], 404))
def api_list_allowances(request: AuthedRequest, grid_id: Id) -> list[dict[str, Any]]:
    grid = _grid(request, grid_id)
    rows = restrict(Allowance, request.user).filter(grid=grid).select_related("worker")
    return [_allowance_out(a) for a in rows.order_by("-month", "worker_id")]


@router.post("/grids/{grid_id}/allowances", response=responses({201: list[AllowanceOut]}, 400, 403, 404, 415))
def api_record_allowances(
    request: AuthedRequest, grid_id: Id, payload: AllowanceIn
) -> Status[list[dict[str, Any]]]:
    """Record one month for every worker of a village grid (offices of the area); answers the rows made now."""
    grid = _grid(request, grid_id)
    raw = {"month": payload.month, "amount": "" if payload.amount is None else str(payload.amount)}
    made = units.record_allowances(grid, raw, actor=request.user)
    rows = Allowance.objects.filter(pk__in=[a.pk for a in made]).select_related("worker")
    return Status(201, [_allowance_out(a) for a in rows.order_by("worker_id")])
