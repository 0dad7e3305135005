"""Grid pages: the grids of an area with its coverage, a grid's page (workers, patrol plan, allowances, recent
patrols), the create and edit forms, and the printable grid notice (张贴网格员信息). Patrol pages:
views_patrols.py; addresses in urls.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.scope import get_in_scope, region_in_scope, restrict, within
from anquan.regions.choices import GridLevel
from anquan.regions.models import Grid, Region

from . import services as patrols
from . import units
from .choices import PatrolFrequency
from .models import Allowance, PatrolPlan, PatrolTask

GRID_FIELDS = ("level", "region", "enterprise", "name", "head_name", "head_phone", "scope_note")


def _region(request: AuthedRequest) -> Region:
    user = request.user
    code = request.GET.get("region", "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    if region is None or not region_in_scope(user, region.code):
        region = user.region
    return region


@login_required
def grid_list(request: AuthedRequest) -> HttpResponse:
    """The grids of an area (?region=, default the user's own) with patrol plans; for an office, the coverage
    gaps; for an enterprise's managers, the enterprise's own internal grid units."""
    user = request.user
    region = _region(request)
    grids = (
        restrict(Grid, user).select_related("region", "enterprise", "patrol_plan").prefetch_related("workers")
    )
    if not user.enterprise_id:
        grids = grids.filter(within(region.prefix))
    level = request.GET.get("level", "")
    if level in GridLevel.values:
        grids = grids.filter(level=level)
    return render(
        request,
        "grids/list.html",
        {
            "region": region,
            "grids": grids.order_by("level", "code")[:500],
            "levels": GridLevel.choices,
            "level": level,
            "coverage": None if user.enterprise_id else units.coverage(user, region),
            "can_create": units.can_manage(user, enterprise=getattr(user, "enterprise", None)),
        },
    )


def _form(
    request: AuthedRequest,
    grid: Grid | None,
    *,
    posted: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    region = grid.region if grid else _region(request)
    levels = [c for c in GridLevel.choices if not user.enterprise_id or c[0] == GridLevel.ENTERPRISE]
    eligible = units.eligible_workers(region) if not user.enterprise_id else []
    chosen = {str(u.pk) for u in grid.workers.all()} if grid else set()
    if posted is not None and "workers" in posted:
        chosen = {str(v) for v in posted["workers"]}
    values = posted or (
        {k: getattr(grid, k) or "" for k in ("name", "head_name", "head_phone", "scope_note")} if grid else {}
    )
    return render(
        request,
        "grids/form.html",
        {
            "grid": grid,
            "levels": levels,
            "values": values,
            "region": region,
            "eligible": eligible,
            "chosen": chosen,
            "errors": errors or {},
        },
        status=status,
    )


@login_required
def grid_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not units.can_manage(user, enterprise=getattr(user, "enterprise", None)):
        raise Http404
    if request.method != "POST":
        return _form(request, None)
    posted: dict[str, Any] = {k: request.POST.get(k, "") for k in GRID_FIELDS}
    posted["workers"] = request.POST.getlist("workers")
    try:
        grid = units.create_grid(posted, actor=user)
    except (ValidationFailed, NotPermitted) as exc:
        return _form(request, None, posted=posted, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("Grid %(name)s created.") % {"name": grid.name})
    return redirect("grids:detail", pk=grid.pk)


@login_required
def grid_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    grid = get_in_scope(restrict(Grid, user).select_related("region", "enterprise"), user, pk=pk)
    if not units.can_manage(user, grid):
        raise Http404
    if request.method != "POST":
        return _form(request, grid)
    posted: dict[str, Any] = {
        k: request.POST.get(k, "") for k in ("name", "head_name", "head_phone", "scope_note")
    }
    if grid.level != GridLevel.ENTERPRISE:
        posted["workers"] = request.POST.getlist("workers")
    try:
        units.update_grid(grid, posted, actor=user)
    except (ValidationFailed, NotPermitted) as exc:
        return _form(request, grid, posted=posted, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("Grid %(name)s saved.") % {"name": grid.name})
    return redirect("grids:detail", pk=grid.pk)


def _detail(
    request: AuthedRequest, grid: Grid, *, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    plan = PatrolPlan.objects.filter(grid=grid).first()
    frequency, version = patrols.rule_frequency(
        patrols.targets_of(grid), timezone.localdate(), grid.region_code
    )
    amount, allowance_version = units.default_allowance(timezone.localdate(), grid.region_code)
    return render(
        request,
        "grids/detail.html",
        {
            "grid": grid,
            "workers": grid.workers.order_by("pk"),
            "plan": plan,
            "rule_frequency": PatrolFrequency(frequency).label,
            "rule_version": version,
            "frequencies": PatrolFrequency.choices,
            "tasks": restrict(PatrolTask, user).filter(grid=grid).order_by("-period_start")[:20],
            "allowances": restrict(Allowance, user).filter(grid=grid).select_related("worker")[:60],
            "default_amount": amount,
            "allowance_version": allowance_version,
            "this_month": timezone.localdate().strftime("%Y-%m"),
            "can_manage": units.can_manage(user, grid),
            "patrolled": grid.level in patrols.PATROLLED_LEVELS,
            "errors": errors or {},
        },
        status=status,
    )


@login_required
def grid_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    grid = get_in_scope(restrict(Grid, user).select_related("region", "enterprise", "head_user"), user, pk=pk)
    return _detail(request, grid)


@login_required
@require_POST
def plan_save(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    grid = get_in_scope(restrict(Grid, user).select_related("region", "enterprise"), user, pk=pk)
    if not units.can_manage(user, grid) or user.enterprise_id:
        raise Http404
    raw = {"frequency": request.POST.get("frequency", ""), "active": request.POST.get("active", "")}
    try:
        patrols.save_plan(grid, raw, actor=user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return _detail(request, grid, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("Patrol plan saved."))
    return redirect("grids:detail", pk=grid.pk)


@login_required
@require_POST
def allowances_record(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    grid = get_in_scope(restrict(Grid, user).select_related("region"), user, pk=pk)
    raw = {"month": request.POST.get("month", ""), "amount": request.POST.get("amount", "")}
    try:
        made = units.record_allowances(grid, raw, actor=user)
    except (ValidationFailed, NotPermitted) as exc:
        return _detail(request, grid, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("%(count)s allowances recorded.") % {"count": len(made)})
    return redirect("grids:detail", pk=grid.pk)


@login_required
def grid_notice(request: AuthedRequest, pk: int) -> HttpResponse:
    """The grid notice to post up (张贴网格员信息), A4: the grid, its head, its workers with phones, the hotline."""
    user = request.user
    grid = get_in_scope(restrict(Grid, user).select_related("region", "enterprise"), user, pk=pk)
    return render(
        request,
        "grids/notice.html",
        {
            "grid": grid,
            "workers": grid.workers.order_by("pk"),
            "hotline": units.HOTLINE,
            "today": timezone.localdate(),
        },
    )
