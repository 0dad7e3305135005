"""Control (self-check) task pages: the enterprise's checks of today as cards (正常 / 异常, 全部正常), the missed-task
counts of the enterprises in the user's scope, and a risk point's check schedules with a form.
 Addresses in urls.py, the API in
api.py."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import parse_date
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.idempotency import run_once
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import check_upload
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskPoint
from anquan.standards.schemas import page_id

from . import services as tasks
from .choices import CheckFrequency, TaskStatus
from .models import CheckSchedule, CheckTask
from .workflow import can_complete


def _range(request: AuthedRequest) -> tuple[dt.date, dt.date]:
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
def tasks_today(
    request: AuthedRequest,
    errors: dict[str, str] | None = None,
    status: int = 200,
    failed: int | None = None,
    posted: dict[str, str] | None = None,
) -> HttpResponse:
    """Open tasks of the running periods as cards (正常 / 异常 for the enterprise's own users, 全部正常 and the
    progress of the day) and the tasks done today and missed in the last 7 days. `failed`: the task whose
    completion was refused, shown open again with `posted` and the errors under its fields."""
    user = request.user
    now = timezone.now()
    scoped = restrict(CheckTask, user).select_related("schedule", "point", "enterprise")
    open_tasks = list(
        scoped.filter(status=TaskStatus.OPEN, period_start__lte=now, period_end__gt=now).order_by(
            "point__name", "pk"
        )[:OPEN_LIMIT]
    )
    week_ago = timezone.localdate(now) - dt.timedelta(days=6)
    missed = scoped.filter(tasks.in_range(week_ago, timezone.localdate(now)), status=TaskStatus.MISSED)
    done = list(
        scoped.filter(
            status__in=[TaskStatus.DONE_NORMAL, TaskStatus.DONE_HAZARD],
            done_at__date__gte=timezone.localdate(now),
        ).order_by("-done_at")[:100]
    )
    mine = [t for t in open_tasks if can_complete(user, t)]  # the cards with 正常 / 异常
    return render(
        request,
        "checks/tasks_today.html",
        {
            "open_tasks": open_tasks,
            "mine": mine,
            "missed": missed.order_by("-period_start")[:100],
            "done": done,
            "progress": {"done": len(done), "total": len(done) + len(open_tasks)},
            "errors": errors or {},
            # errors shown under a card's fields there; the rest (and all of them without a card) on top
            "general_errors": [m for k, m in (errors or {}).items() if not failed or k not in _CARD_FIELDS],
            "failed": failed,
            "posted": posted or {},
            "form_key": uuid.uuid4().hex,
        },
        status=status,
    )


_COMPLETE_FIELDS = ("outcome", "description", "note", "latitude", "longitude")
_CARD_FIELDS = frozenset({"outcome", "description", "file", "latitude"})


@login_required
@require_POST
def task_complete(request: AuthedRequest, pk: int) -> HttpResponse:
    """正常 or 异常 (a hazard with its description, photos and location) for one task; the form's client key
    (form_key) makes a resend from a phone's offline queue record nothing twice."""
    task = get_in_scope(restrict(CheckTask, request.user).select_related("enterprise"), request.user, pk=pk)
    raw = {k: request.POST.get(k, "") for k in _COMPLETE_FIELDS}
    photos = request.FILES.getlist("photos")

    def create() -> tuple[int, dict[str, Any]]:
        done = tasks.complete(task, raw, actor=request.user, photos=photos)
        return 201, {"id": done.pk, "hazard": done.hazard_id}

    try:
        for upload in photos:
            check_upload(upload)
        _code, body = run_once(
            request, f"checks.complete.{task.pk}", request.POST.get("form_key") or None, create
        )
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return tasks_today(request, errors=_errors(exc), status=_status(exc), failed=task.pk, posted=raw)
    if body.get("hazard"):
        messages.success(request, _("Check recorded; the hazard was reported."))
    else:
        messages.success(request, _("Check recorded as all normal."))
    return redirect("checks:tasks_today")


@login_required
@require_POST
def tasks_all_normal(request: AuthedRequest) -> HttpResponse:
    """全部正常: every task the page listed that is still open is recorded as all normal."""
    pks = [int(v) for v in request.POST.getlist("task") if v.isdigit()][:OPEN_LIMIT]
    count = tasks.complete_all_normal(request.user, pks)
    messages.success(request, _("%(count)s checks recorded as all normal.") % {"count": count})
    return redirect("checks:tasks_today")


@login_required
def tasks_missed(request: AuthedRequest) -> HttpResponse:
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
        "checks/tasks_missed.html",
        {
            "rows": rows,
            "point_rows": point_rows,
            "missed": missed[:200],
            "date_from": date_from,
            "date_to": date_to,
            "total_missed": sum(r["missed"] for r in rows),
        },
    )


def _schedules_page(
    request: AuthedRequest,
    point: RiskPoint,
    *,
    errors: dict[str, str] | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
    editing: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    date_from, date_to = _range(request)
    counts = tasks.missed_counts(
        restrict(CheckTask, user).filter(point=point), date_from, date_to, by="point"
    )
    return render(
        request,
        "checks/tasks_schedules.html",
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
def point_schedules(request: AuthedRequest, pk: int) -> HttpResponse:
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
        return redirect("checks:point_schedules", pk=pk)
    return _schedules_page(request, point)


@login_required
@require_POST
def schedule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    schedule = tasks.schedule_in_scope(request.user, pk)
    posted = {k: request.POST.get(k, "") for k in ("frequency", "post", "content")}
    try:
        tasks.update_schedule(schedule, posted, actor=request.user)
    except (ValidationFailed, NotPermitted) as exc:
        return _schedules_page(
            request, schedule.point, errors=_errors(exc), status=_status(exc), editing={"id": pk, **posted}
        )
    messages.success(request, _("Check schedule changed."))
    return redirect("checks:point_schedules", pk=schedule.point_id)


@login_required
@require_POST
def schedule_switch(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """The named actions `deactivate` and `reactivate` of a schedule."""
    schedule = tasks.schedule_in_scope(request.user, pk)
    steps: dict[str, Callable[..., CheckSchedule]] = {
        "deactivate": tasks.deactivate_schedule,
        "reactivate": tasks.reactivate_schedule,
    }
    step = steps[action]
    try:
        step(schedule, actor=request.user, comment=request.POST.get("comment", "").strip())
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return _schedules_page(request, schedule.point, errors=_errors(exc), status=_status(exc))
    if action == "deactivate":
        messages.success(request, _("Check schedule stopped: no new tasks are made for it."))
    else:
        messages.success(request, _("Check schedule started again."))
    return redirect("checks:point_schedules", pk=schedule.point_id)
