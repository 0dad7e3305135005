"""Pages of task-list imports: paste text or upload .xlsx on a campaign, the preview with its flagged names to
map, apply, the result; and the campaign's task list as .xlsx. Link from the campaign page: `campaigns:import_new`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.scope import CHANGE, VIEW, get_in_scope
from anquan.orgs.models import Department
from anquan.regions.models import Region

from .choices import ImportStatus, UnitKind
from .importing import excel, services
from .importing.recognise import normalise
from .models import Campaign, Task, TaskImport, TaskUnit, UnitAlias


def _campaign(request: AuthedRequest, campaign_id: int) -> Campaign:
    return get_in_scope(Campaign.objects.select_related("region"), request.user, CHANGE, pk=campaign_id)


def _import(request: AuthedRequest, import_id: int) -> TaskImport:
    return get_in_scope(
        TaskImport.objects.select_related("campaign__region"), request.user, CHANGE, pk=import_id
    )


@login_required
def import_new(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    errors: dict[str, str] = {}
    text = ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                data = upload.read(services.upload_limit() + 1)
                task_import = services.preview_workbook(campaign, data, upload.name or "", actor=request.user)
            else:
                task_import = services.preview_text(campaign, text, actor=request.user)
            return redirect("campaigns:import_preview", import_id=task_import.pk)
        except (ValidationFailed, NotPermitted) as exc:
            errors = _errors(exc)
            context = {"campaign": campaign, "errors": errors, "text": text}
            return render(request, "campaigns/import_new.html", context, status=_status(exc))
    return render(
        request, "campaigns/import_new.html", {"campaign": campaign, "errors": errors, "text": text}
    )


def _preview_context(task_import: TaskImport) -> dict[str, Any]:
    campaign = task_import.campaign
    counted = services.counts(task_import.rows)
    context: dict[str, Any] = {
        "task_import": task_import,
        "campaign": campaign,
        "rows": task_import.rows,
        "counted": counted,
        "kinds": [(k, v) for k, v in services.MAPPING_KINDS.items()],
        "departments": Department.objects.order_by("order", "id"),
        "regions": [campaign.region, *Region.objects.filter(parent=campaign.region).order_by("code")],
        "applied": task_import.status == ImportStatus.APPLIED,
    }
    if context["applied"]:
        context["lines"] = (
            Task.objects.filter(campaign=campaign, parent=None)
            .select_related("battle", "department")
            .prefetch_related("subtasks")
            .order_by("order", "id")
        )
    return context


@login_required
def import_preview(request: AuthedRequest, import_id: int) -> HttpResponse:
    task_import = _import(request, import_id)
    context = _preview_context(task_import) | {
        "created": request.GET.get("created", ""),
        "skipped": request.GET.get("skipped", ""),
    }
    return render(request, "campaigns/import_preview.html", context)


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
@require_POST
def import_map(request: AuthedRequest, import_id: int) -> HttpResponse:
    task_import = _import(request, import_id)
    post = request.POST
    try:
        services.map_name(
            task_import,
            text=post.get("text", ""),
            kind=post.get("kind", ""),
            region_code=post.get("region") or None,
            department_id=_number(post.get("department")),
            department_name=post.get("department_name", ""),
            department_full_name=post.get("department_full_name", ""),
            actor=request.user,
        )
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        task_import.refresh_from_db()
        context = _preview_context(task_import) | {"errors": _errors(exc), "failed": post.get("text", "")}
        return render(request, "campaigns/import_preview.html", context, status=_status(exc))
    return redirect("campaigns:import_preview", import_id=task_import.pk)


def flagged_on(line: Task) -> list[TaskUnit]:
    """The units of a task-list line still waiting for a person (not recognised, and no mapping remembered for the
    name — a name kept as text only is remembered as such)."""
    if line.parent_id:
        return []
    units = [u for u in line.units.all() if u.kind == UnitKind.UNRECOGNISED]
    if not units:
        return []
    decided = set(
        UnitAlias.objects.filter(region_code=line.campaign.region_code).values_list("text", flat=True)
    )
    return [u for u in units if normalise(u.text) not in decided]


def mapping_context(line: Task) -> dict[str, Any]:
    """What the task page's mapping form needs (campaigns/_map_unit.html)."""
    campaign = line.campaign
    return {
        "flagged_units": flagged_on(line),
        "kinds": [(k, v) for k, v in services.MAPPING_KINDS.items()],
        "departments": Department.objects.order_by("order", "id"),
        "regions": [campaign.region, *Region.objects.filter(parent=campaign.region).order_by("code")],
    }


@login_required
@require_POST
def task_unit_map(request: AuthedRequest, pk: int) -> HttpResponse:
    """Map a name still flagged on an applied line: every line naming it gains its sub-tasks."""
    from .views_tasks import _tasks, task_detail

    line = get_in_scope(_tasks(request.user), request.user, pk=pk)
    post = request.POST
    try:
        changed = services.map_applied(
            line,
            text=post.get("text", ""),
            kind=post.get("kind", ""),
            region_code=post.get("region") or None,
            department_id=_number(post.get("department")),
            department_name=post.get("department_name", ""),
            department_full_name=post.get("department_full_name", ""),
            actor=request.user,
        )
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return task_detail(
            request, pk, errors=_errors(exc) | {"unit": post.get("text", "")}, status=_status(exc)
        )
    messages.success(request, f"已确认单位“{post.get('text', '')}”，{changed}项任务已分解到该单位")
    return redirect("campaigns:task", line.pk)


@login_required
@require_POST
def import_apply(request: AuthedRequest, import_id: int) -> HttpResponse:
    task_import = _import(request, import_id)
    applied = services.apply(task_import, actor=request.user)
    url = reverse("campaigns:import_preview", args=[task_import.pk])
    return redirect(f"{url}?created={applied.created}&skipped={applied.skipped}")


@login_required
def tasks_export(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    campaign = get_in_scope(Campaign, request.user, VIEW, pk=campaign_id)
    return excel.export_response(campaign)


urlpatterns = [
    path("campaigns/<int:campaign_id>/import/", import_new, name="import_new"),
    path("campaigns/<int:campaign_id>/tasks.xlsx", tasks_export, name="tasks_export"),
    path("campaign-imports/<int:import_id>/", import_preview, name="import_preview"),
    path("campaign-imports/<int:import_id>/map/", import_map, name="import_map"),
    path("campaigns/tasks/<int:pk>/map-unit/", task_unit_map, name="task_unit_map"),
    path("campaign-imports/<int:import_id>/apply/", import_apply, name="import_apply"),
]
