"""Control check schedules and tasks (/api/v1/check-tasks, /check-schedules, /stats/check-tasks)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal

from django.db.models import QuerySet
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import (
    DATE_MIN,
    FUTURE_YEARS,
    Page,
    PageParams,
    page,
    plausible_date,
    responses,
)
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import get_in_scope, restrict
from anquan.riskpoints.models import RiskPoint
from anquan.standards.schemas import Id, Uscc

from . import services as tasks
from .choices import TaskStatus
from .models import CheckSchedule, CheckTask, CheckTaskEvent

router = Router(tags=["risk"])


class CheckScheduleIn(Schema):
    frequency: str = Field(max_length=10, description="shift | day | week | month | quarter | half_year")
    post: str = Field(max_length=tasks.POST_MAX, description="the job post that checks, e.g. 储罐区巡检岗")
    content: str = Field(max_length=tasks.CONTENT_MAX, description="what to check")


class CheckTaskCompleteIn(Schema):
    outcome: str = Field(max_length=10, description="normal | hazard")
    description: str | None = Field(
        None, max_length=tasks.NOTE_MAX, description="the hazard found (required for outcome=hazard)"
    )
    note: str | None = Field(None, max_length=tasks.NOTE_MAX)


class TaskRange(Schema):
    date_from: dt.date | None = Field(
        None, alias="from", description="period starts on or after (local day; YYYY-MM-DD)"
    )
    date_to: dt.date | None = Field(
        None, alias="to", description="period starts on or before (local day; YYYY-MM-DD)"
    )
    enterprise: Uscc | None = Field(None, description="USCC")


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
    data: dict[str, Any]


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


class TaskFilters(TaskRange):
    status: TaskStatus | None = Field(None, description="open | done_normal | done_hazard | missed")
    point: Id | None = Field(None, description="risk point id")


class TaskStatsFilters(TaskRange):
    group_by: Literal["enterprise", "point"] = "enterprise"


def _days(filters: TaskRange) -> tuple[dt.date | None, dt.date | None]:
    """The range's days, each within the plausible window (no year 1, no year 9999): 422 otherwise."""
    date_from = plausible_date(filters.date_from, "from")
    date_to = plausible_date(filters.date_to, "to")
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed([FieldError("from", "invalid", "开始日期不能晚于结束日期")])
    return date_from, date_to


def _schedule_out(s: CheckSchedule) -> dict[str, Any]:
    return {
        "id": s.pk,
        "point": s.point_id,
        "frequency": s.frequency,
        "post": s.post,
        "content": s.content,
        "active": s.active,
    }


def _task_out(t: CheckTask) -> dict[str, Any]:
    return {
        "id": t.pk,
        "schedule": t.schedule_id,
        "point": t.point_id,
        "point_name": t.point.name,
        "enterprise": t.enterprise.uscc,
        "enterprise_name": t.enterprise.name,
        "frequency": t.schedule.frequency,
        "post": t.schedule.post,
        "content": t.schedule.content,
        "period_start": t.period_start,
        "period_end": t.period_end,
        "status": t.status,
        "done_at": t.done_at,
        "hazard": t.hazard_id,
        "note": t.note,
    }


def _tasks(request: AuthedRequest) -> QuerySet[CheckTask]:
    return restrict(CheckTask, request.user).select_related("schedule", "point", "enterprise")


@router.get("/check-tasks", response=responses(Page[CheckTaskOut]))
def api_list_tasks(
    request: AuthedRequest, filters: Query[TaskFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    date_from, date_to = _days(filters)
    qs = _tasks(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    if filters.point:
        qs = qs.filter(point_id=filters.point)
    if date_from or date_to:
        latest = timezone.localdate().replace(month=1, day=1)
        latest = latest.replace(year=latest.year + FUTURE_YEARS + 1)
        qs = qs.filter(tasks.in_range(date_from or DATE_MIN, date_to or latest))
    return page(qs.order_by("-period_start", "id"), paging, _task_out)


@router.get("/check-tasks/{task_id}/events", response=responses(Page[CheckTaskEventOut], 404))
def api_task_events(request: AuthedRequest, task_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    """The task's steps, oldest first: done (normal or with a hazard) or marked missed by the sweep."""
    task = get_in_scope(_tasks(request), request.user, pk=task_id)

    return page(task.events.order_by("at", "id"), paging, CheckTaskEvent.as_json)


@router.post("/check-tasks/{task_id}/complete", response=responses(CheckTaskOut, 400, 403, 404, 409, 415))
def api_complete_task(request: AuthedRequest, task_id: Id, payload: CheckTaskCompleteIn) -> dict[str, Any]:
    task = get_in_scope(_tasks(request), request.user, pk=task_id)
    task = tasks.complete(task, payload.dict(), actor=request.user)
    return _task_out(_tasks(request).get(pk=task.pk))


@router.get("/risk-points/{point_id}/check-schedules", response=responses(Page[CheckScheduleOut], 404))
def api_list_schedules(request: AuthedRequest, point_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    point = get_in_scope(RiskPoint, request.user, pk=point_id)
    return page(point.schedules.order_by("id"), paging, _schedule_out)


@router.post(
    "/risk-points/{point_id}/check-schedules",
    response=responses({201: CheckScheduleOut}, 400, 403, 404, 409, 415),
)
def api_add_schedule(
    request: AuthedRequest, point_id: Id, payload: CheckScheduleIn
) -> Status[dict[str, Any]]:
    point = get_in_scope(
        restrict(RiskPoint, request.user).select_related("enterprise"), request.user, pk=point_id
    )
    return Status(201, _schedule_out(tasks.add_schedule(point, payload.dict(), actor=request.user)))


@router.get("/stats/check-tasks", response=responses(CheckTaskStatsOut), exclude_none=True, by_alias=True)
def api_task_stats(
    request: AuthedRequest, filters: Query[TaskStatsFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """Tasks, done and missed per enterprise (or per risk point) in scope over [from, to] (local days;
    default the last 30 days), a page of rows at a time (`count`: all rows)."""
    group_by = filters.group_by
    date_from, date_to = _days(filters)
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to - dt.timedelta(days=29)
    if date_from > date_to:
        raise ValidationFailed([FieldError("from", "invalid", "开始日期不能晚于结束日期")])
    qs = restrict(CheckTask, request.user)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    rows = tasks.missed_counts(qs, date_from, date_to, by=group_by)

    def row(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "enterprise" if group_by == "enterprise" else "point": r[f"{group_by}_id"],
            "name": r["enterprise__name"] if group_by == "enterprise" else r["point__name"],
            "total": r["total"],
            "done": r["done"],
            "missed": r["missed"],
        }

    return {"from": date_from, "to": date_to, **page(rows, paging, row)}


class CheckScheduleChangeIn(Schema):
    frequency: str | None = Field(
        None, max_length=10, description="shift | day | week | month | quarter | half_year"
    )
    post: str | None = Field(None, max_length=tasks.POST_MAX)
    content: str | None = Field(None, max_length=tasks.CONTENT_MAX)


class CheckScheduleTransitionIn(Schema):
    action: str = Field(max_length=20, description="deactivate | reactivate")
    comment: str | None = Field(None, max_length=tasks.COMMENT_MAX, description="why (kept in the audit log)")


SCHEDULE_ACTIONS: dict[str, Callable[..., CheckSchedule]] = {
    "deactivate": tasks.deactivate_schedule,
    "reactivate": tasks.reactivate_schedule,
}


@router.get("/check-schedules/{schedule_id}", response=responses(CheckScheduleOut, 404))
def api_get_schedule(request: AuthedRequest, schedule_id: Id) -> dict[str, Any]:
    return _schedule_out(tasks.schedule_in_scope(request.user, schedule_id))


@router.patch("/check-schedules/{schedule_id}", response=responses(CheckScheduleOut, 400, 403, 404, 409, 415))
def api_change_schedule(
    request: AuthedRequest, schedule_id: Id, payload: CheckScheduleChangeIn
) -> dict[str, Any]:
    """Change frequency, post and/or content (fields left out stay); applies from now on."""
    schedule = tasks.schedule_in_scope(request.user, schedule_id)
    return _schedule_out(
        tasks.update_schedule(schedule, payload.dict(exclude_unset=True), actor=request.user)
    )


@router.post(
    "/check-schedules/{schedule_id}/transitions",
    response=responses(CheckScheduleOut, 400, 403, 404, 409, 415),
)
def api_switch_schedule(
    request: AuthedRequest, schedule_id: Id, payload: CheckScheduleTransitionIn
) -> dict[str, Any]:
    """`deactivate`: no new tasks (past ones stay; an open task of the running period stays due);
    `reactivate`: tasks again, the current period's at once. 409 when already in that state."""
    schedule = tasks.schedule_in_scope(request.user, schedule_id)
    step = SCHEDULE_ACTIONS.get(payload.action)
    if step is None:
        raise ValidationFailed(
            [FieldError("action", "invalid_choice", "操作须为 deactivate（停用）或 reactivate（重新启用）")]
        )
    return _schedule_out(step(schedule, actor=request.user, comment=payload.comment or ""))
