"""Patrol pages: today's patrols (a grid worker's task cards), a task's page on the phone (check-in, one card
per venue or enterprise with 正常 / 发现隐患, offline queue), and the missed-patrol counts with their Excel
export. Addresses in urls.py."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core import xlsx
from anquan.core.contract import parse_date
from anquan.core.errors import ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.offline import REFUSALS, submit_once
from anquan.core.permissions import Role
from anquan.core.scope import get_in_scope, region_in_scope, restrict
from anquan.regions.models import Grid, Region

from . import services as patrols
from . import stats
from .choices import PatrolStatus
from .models import PatrolTask

VISIT_FIELDS = ("target", "outcome", "description", "note", "latitude", "longitude")


def _my_grids(request: AuthedRequest) -> Any:
    user = request.user
    grids = restrict(Grid, user).filter(level__in=patrols.PATROLLED_LEVELS)
    return grids.filter(workers=user) if user.role == Role.GRID_WORKER else grids


@login_required
def patrols_today(request: AuthedRequest) -> HttpResponse:
    """The patrol tasks of the running periods: a grid worker's own grids (made now if the sweep has not yet),
    an office's whole area."""
    user = request.user
    now = timezone.now()
    grids = _my_grids(request)
    if user.role == Role.GRID_WORKER:
        patrols.refresh(grids, now)
    running = (
        restrict(PatrolTask, user)
        .filter(grid__in=grids, period_start__lte=now, period_end__gt=now)
        .select_related("grid", "worker")
        .order_by("status", "period_end", "grid__code")[:200]
    )
    cards = [{"task": t, "visited": t.visits.count(), "total": len(t.targets)} for t in running]
    return render(request, "grids/patrols_today.html", {"cards": cards})


def _task_page(
    request: AuthedRequest,
    task: PatrolTask,
    *,
    errors: dict[str, str] | None = None,
    failed: str = "",
    posted: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    return render(
        request,
        "grids/task.html",
        {
            "task": task,
            "targets": patrols.task_targets(task),
            "mine": patrols.may_patrol(user, task),
            "errors": errors or {},
            "general_errors": [m for k, m in (errors or {}).items() if not failed or k in ("", "target")],
            "failed": failed,
            "posted": posted or {},
            "form_key": uuid.uuid4().hex,
            "rule_version": task.rule_version,
        },
        status=status,
    )


def _task(request: AuthedRequest, pk: int) -> PatrolTask:
    return get_in_scope(
        restrict(PatrolTask, request.user).select_related("grid", "worker", "rule_version"),
        request.user,
        pk=pk,
    )


@login_required
def task_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _task_page(request, _task(request, pk))


@login_required
@require_POST
def task_check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    raw = {k: request.POST.get(k, "") for k in ("latitude", "longitude")}
    try:
        patrols.check_in(task, raw, actor=request.user)
    except REFUSALS as exc:
        return _task_page(request, task, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("Checked in."))
    return redirect("grids:task", pk=task.pk)


@login_required
@require_POST
def task_visit(request: AuthedRequest, pk: int) -> HttpResponse:
    """正常 or 发现隐患 for one venue or enterprise of the task; the form's client key (form_key) makes a resend
    from the phone's offline queue record nothing twice."""
    task = _task(request, pk)
    raw: dict[str, Any] = {k: request.POST.get(k, "") for k in VISIT_FIELDS}
    raw["failed"] = request.POST.getlist("failed")
    photos = request.FILES.getlist("photos")

    def create() -> dict[str, Any]:
        visit = patrols.record_visit(task, raw, actor=request.user, photos=photos)
        return {"id": visit.pk, "hazard": visit.hazard_id}

    try:
        body = submit_once(request, f"grids.visit.{task.pk}", create, photos)
    except REFUSALS as exc:
        return _task_page(
            request, task, errors=_errors(exc), failed=str(raw["target"]), posted=raw, status=_status(exc)
        )
    if body.get("hazard"):
        messages.success(request, _("Patrol result recorded; the hazard was reported."))
    else:
        messages.success(request, _("Patrol result recorded as normal."))
    return redirect("grids:task", pk=task.pk)


def _range(request: AuthedRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        date_to = parse_date(request.GET.get("to", ""), "to") or today
    except ValidationFailed:
        date_to = today
    try:
        date_from = parse_date(request.GET.get("from", ""), "from") or date_to.replace(day=1)
    except ValidationFailed:
        date_from = date_to.replace(day=1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return date_from, date_to


def _counts(request: AuthedRequest) -> tuple[Region, stats.Counts]:
    user = request.user
    code = request.GET.get("region", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not region_in_scope(user, region.code):
        region = user.region
    scoped = restrict(PatrolTask, user)
    patrols.mark_missed(tasks=scoped)  # the ended periods counted as they are, sweep or not
    date_from, date_to = _range(request)
    return region, stats.missed(region, date_from, date_to, scoped)


@login_required
def missed(request: AuthedRequest) -> HttpResponse:
    """Patrols done and missed, and their findings, by township, village and worker; the missed tasks."""
    region, counts = _counts(request)
    missed_tasks = (
        stats.tasks_in(region, counts.date_from, counts.date_to, restrict(PatrolTask, request.user))
        .filter(status=PatrolStatus.MISSED)
        .select_related("grid", "worker")
        .order_by("-period_start")[:200]
    )
    return render(request, "grids/missed.html", {"region": region, "counts": counts, "missed": missed_tasks})


@login_required
def missed_export(request: AuthedRequest) -> HttpResponse:
    region, counts = _counts(request)
    workbook = xlsx.export_workbook()
    heading = ["名称", "巡查任务", "已完成", "逾期未完成", "进行中", "发现隐患"]
    for title, rows in (
        ("按乡镇", counts.townships),
        ("按村（社区）", counts.villages),
        ("按网格员", counts.workers),
    ):
        sheet = xlsx.add_sheet(workbook, title)
        sheet.append([f"{region.name}网格巡查统计（{counts.date_from:%Y-%m-%d}至{counts.date_to:%Y-%m-%d}）"])
        sheet.append(heading)
        for r in [*rows, counts.total]:
            sheet.append([r.name, r.total, r.done, r.missed, r.open, r.findings])
    return xlsx.xlsx_response(workbook, xlsx.export_filename(region.name, "网格巡查统计"))
