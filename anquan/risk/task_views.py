"""Control (self-check) task pages: the enterprise's checks of today (正常 / 报告隐患), the missed-task
counts of the enterprises in the user's scope, and a risk point's check schedules with a form.

Wire `urlpatterns` below into anquan/risk/urls.py (namespace "risk")."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from ninja import Field, Query, Router, Schema, Status

from anquan.core.contract import (
    DATE_MIN,
    FUTURE_YEARS,
    Page,
    PageParams,
    page,
    parse_date,
    plausible_date,
    responses,
)
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.scope import get_in_scope, restrict

from . import points, tasks
from .models import CheckFrequency, CheckSchedule, CheckTask, RiskPoint, TaskStatus
from .schemas import CheckScheduleOut, CheckTaskEventOut, CheckTaskOut, CheckTaskStatsOut, Id, Uscc, page_id


def _range(request) -> tuple[dt.date, dt.date]:
    """?from=&to= (YYYY-MM-DD, within the plausible window); default: the last 30 local days up to today."""
    today = timezone.localdate()
    try:
        date_to = parse_date(request.GET.get("to", ""), "to") or today
    except ValidationFailed:
        date_to = today
    try:
        date_from = parse_date(request.GET.get("from", ""), "from") or date_to - dt.timedelta(days=29)
    except ValidationFailed:
        date_from = date_to - dt.timedelta(days=29)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return date_from, date_to


OPEN_LIMIT = 200


@login_required
def tasks_today(request, errors=None, status=200):
    """Open tasks of the running periods (with their buttons for the enterprise's own users) and the
    tasks missed in the last 7 days."""
    user = request.user
    now = timezone.now()
    scoped = restrict(CheckTask, user).select_related("schedule", "point", "enterprise")
    open_tasks = list(
        scoped.filter(status=TaskStatus.OPEN, period_start__lte=now, period_end__gt=now)[:OPEN_LIMIT]
    )
    for task in open_tasks:
        task.can_complete = tasks.can_complete(user, task)
    week_ago = timezone.localdate(now) - dt.timedelta(days=6)
    missed = scoped.filter(tasks.in_range(week_ago, timezone.localdate(now)), status=TaskStatus.MISSED)
    done = scoped.filter(
        status__in=[TaskStatus.DONE_NORMAL, TaskStatus.DONE_HAZARD],
        done_at__date__gte=timezone.localdate(now),
    )
    return render(
        request,
        "risk/tasks_today.html",
        {
            "open_tasks": open_tasks,
            "missed": missed.order_by("-period_start")[:100],
            "done": done.order_by("-done_at")[:100],
            "errors": errors or {},
        },
        status=status,
    )


@login_required
@require_POST
def task_complete(request, pk):
    task = get_in_scope(restrict(CheckTask, request.user).select_related("enterprise"), request.user, pk=pk)
    raw = {k: request.POST.get(k, "") for k in ("outcome", "description", "note")}
    try:
        task = tasks.complete(task, raw, actor=request.user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return tasks_today(request, errors=_errors(exc), status=_status(exc))
    if task.hazard_id:
        messages.success(request, _("Check recorded; the hazard was reported."))
    else:
        messages.success(request, _("Check recorded as all normal."))
    return redirect("risk:tasks_today")


@login_required
def tasks_missed(request):
    """Missed-task counts of the enterprises in the user's scope over a date range (and of the risk
    points of one enterprise with ?enterprise=ID), with the missed tasks themselves."""
    date_from, date_to = _range(request)
    scoped = restrict(CheckTask, request.user)
    rows = tasks.missed_counts(scoped, date_from, date_to, by="enterprise")
    enterprise = page_id(request.GET.get("enterprise", ""))
    point_rows = []
    if enterprise:
        point_rows = tasks.missed_counts(
            scoped.filter(enterprise_id=enterprise), date_from, date_to, by="point"
        )
    missed = (
        scoped.filter(tasks.in_range(date_from, date_to), status=TaskStatus.MISSED)
        .select_related("schedule", "point", "enterprise")
        .order_by("-period_start")
    )
    if enterprise:
        missed = missed.filter(enterprise_id=enterprise)
    return render(
        request,
        "risk/tasks_missed.html",
        {
            "rows": rows,
            "point_rows": point_rows,
            "missed": missed[:200],
            "date_from": date_from,
            "date_to": date_to,
            "total_missed": sum(r["missed"] for r in rows),
        },
    )


def _schedules_page(request, point, *, errors=None, posted=None, status=200, editing=None):
    user = request.user
    date_from, date_to = _range(request)
    counts = tasks.missed_counts(
        restrict(CheckTask, user).filter(point=point), date_from, date_to, by="point"
    )
    return render(
        request,
        "risk/tasks_schedules.html",
        {
            "p": point,
            "schedules": point.schedules.all(),
            "recent": restrict(CheckTask, user)
            .filter(point=point)
            .select_related("schedule")
            .order_by("-period_start")[:50],
            "counts": counts[0] if counts else {"total": 0, "missed": 0, "done": 0},
            "date_from": date_from,
            "date_to": date_to,
            "can_write": points.can_write(user, point.enterprise),
            "frequencies": CheckFrequency.choices,
            "errors": errors or {},
            "posted": posted or {},
            "editing": editing,
        },
        status=status,
    )


@login_required
def point_schedules(request, pk):
    """A risk point's check schedules (each can be changed, stopped and started again), a form to add
    one, its recent tasks and missed count."""
    user = request.user
    point = get_in_scope(restrict(RiskPoint, user).select_related("enterprise"), user, pk=pk)
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in ("frequency", "post", "content")}
        try:
            tasks.add_schedule(point, posted, actor=user)
        except (ValidationFailed, NotPermitted) as exc:
            return _schedules_page(request, point, errors=_errors(exc), posted=posted, status=_status(exc))
        messages.success(request, _("Check schedule added."))
        return redirect("risk:point_schedules", pk=pk)
    return _schedules_page(request, point)


def _schedule_in_scope(user, pk) -> CheckSchedule:
    """A schedule whose risk point the user may see (else 404)."""
    return get_in_scope(CheckSchedule.objects.select_related("point__enterprise"), user, pk=pk)


@login_required
@require_POST
def schedule_edit(request, pk):
    schedule = _schedule_in_scope(request.user, pk)
    posted = {k: request.POST.get(k, "") for k in ("frequency", "post", "content")}
    try:
        tasks.update_schedule(schedule, posted, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return _schedules_page(
            request, schedule.point, errors=_errors(exc), status=_status(exc), editing={"id": pk, **posted}
        )
    messages.success(request, _("Check schedule changed."))
    return redirect("risk:point_schedules", pk=schedule.point_id)


@login_required
@require_POST
def schedule_switch(request, pk, action):
    """The named actions `deactivate` and `reactivate` of a schedule."""
    schedule = _schedule_in_scope(request.user, pk)
    step = {"deactivate": tasks.deactivate_schedule, "reactivate": tasks.reactivate_schedule}[action]
    try:
        step(schedule, actor=request.user, comment=request.POST.get("comment", "").strip())
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return _schedules_page(request, schedule.point, errors=_errors(exc), status=_status(exc))
    if action == "deactivate":
        messages.success(request, _("Check schedule stopped: no new tasks are made for it."))
    else:
        messages.success(request, _("Check schedule started again."))
    return redirect("risk:point_schedules", pk=schedule.point_id)


urlpatterns = [
    path("tasks/", tasks_today, name="tasks_today"),
    path("tasks/<int:pk>/complete/", task_complete, name="task_complete"),
    path("tasks/missed/", tasks_missed, name="tasks_missed"),
    path("<int:pk>/schedules/", point_schedules, name="point_schedules"),
    path("schedules/<int:pk>/edit/", schedule_edit, name="schedule_edit"),
    path(
        "schedules/<int:pk>/deactivate/",
        schedule_switch,
        {"action": "deactivate"},
        name="schedule_deactivate",
    ),
    path(
        "schedules/<int:pk>/reactivate/",
        schedule_switch,
        {"action": "reactivate"},
        name="schedule_reactivate",
    ),
]


# --- API (/api/v1): wire with `api.add_router("/", task_views.api_router)` in anquan/api.py -------------

api_router = Router(tags=["risk"])


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


def _schedule_out(s) -> dict:
    return {
        "id": s.pk,
        "point": s.point_id,
        "frequency": s.frequency,
        "post": s.post,
        "content": s.content,
        "active": s.active,
    }


def _task_out(t) -> dict:
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


def _tasks(request):
    return restrict(CheckTask, request.user).select_related("schedule", "point", "enterprise")


@api_router.get("/check-tasks", response=responses(Page[CheckTaskOut]))
def api_list_tasks(request, filters: Query[TaskFilters], paging: Query[PageParams]):
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


@api_router.get("/check-tasks/{task_id}/events", response=responses(Page[CheckTaskEventOut], 404))
def api_task_events(request, task_id: Id, paging: Query[PageParams]):
    """The task's steps, oldest first: done (normal or with a hazard) or marked missed by the sweep."""
    task = get_in_scope(_tasks(request), request.user, pk=task_id)

    return page(task.events.order_by("at", "id"), paging, lambda e: e.as_json())


@api_router.post("/check-tasks/{task_id}/complete", response=responses(CheckTaskOut, 400, 403, 404, 409, 415))
def api_complete_task(request, task_id: Id, payload: CheckTaskCompleteIn):
    task = get_in_scope(_tasks(request), request.user, pk=task_id)
    task = tasks.complete(task, payload.dict(), actor=request.user)
    return _task_out(_tasks(request).get(pk=task.pk))


@api_router.get("/risk-points/{point_id}/check-schedules", response=responses(Page[CheckScheduleOut], 404))
def api_list_schedules(request, point_id: Id, paging: Query[PageParams]):
    point = get_in_scope(RiskPoint, request.user, pk=point_id)
    return page(point.schedules.order_by("id"), paging, _schedule_out)


@api_router.post(
    "/risk-points/{point_id}/check-schedules",
    response=responses({201: CheckScheduleOut}, 400, 403, 404, 409, 415),
)
def api_add_schedule(request, point_id: Id, payload: CheckScheduleIn):
    point = get_in_scope(
        restrict(RiskPoint, request.user).select_related("enterprise"), request.user, pk=point_id
    )
    return Status(201, _schedule_out(tasks.add_schedule(point, payload.dict(), actor=request.user)))


@api_router.get("/stats/check-tasks", response=responses(CheckTaskStatsOut), exclude_none=True, by_alias=True)
def api_task_stats(request, filters: Query[TaskStatsFilters], paging: Query[PageParams]):
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

    def row(r: dict) -> dict:
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


SCHEDULE_ACTIONS = {"deactivate": tasks.deactivate_schedule, "reactivate": tasks.reactivate_schedule}


@api_router.get("/check-schedules/{schedule_id}", response=responses(CheckScheduleOut, 404))
def api_get_schedule(request, schedule_id: Id):
    return _schedule_out(_schedule_in_scope(request.user, schedule_id))


@api_router.patch(
    "/check-schedules/{schedule_id}", response=responses(CheckScheduleOut, 400, 403, 404, 409, 415)
)
def api_change_schedule(request, schedule_id: Id, payload: CheckScheduleChangeIn):
    """Change frequency, post and/or content (fields left out stay); applies from now on."""
    schedule = _schedule_in_scope(request.user, schedule_id)
    return _schedule_out(
        tasks.update_schedule(schedule, payload.dict(exclude_unset=True), actor=request.user)
    )


@api_router.post(
    "/check-schedules/{schedule_id}/transitions",
    response=responses(CheckScheduleOut, 400, 403, 404, 409, 415),
)
def api_switch_schedule(request, schedule_id: Id, payload: CheckScheduleTransitionIn):
    """`deactivate`: no new tasks (past ones stay; an open task of the running period stays due);
    `reactivate`: tasks again, the current period's at once. 409 when already in that state."""
    schedule = _schedule_in_scope(request.user, schedule_id)
    step = SCHEDULE_ACTIONS.get(payload.action)
    if step is None:
        raise ValidationFailed(
            [FieldError("action", "invalid_choice", "操作须为 deactivate（停用）或 reactivate（重新启用）")]
        )
    return _schedule_out(step(schedule, actor=request.user, comment=payload.comment or ""))
