"""Task pages: a new line of a campaign's task list (the office's form on the campaign page), one task with its
units, targets (planned against actual), sub-tasks, history and reports, and its step buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.scope import get_in_scope, restrict
from anquan.orgs.models import Department
from anquan.regions.models import Region

from . import services
from .choices import TaskStatus, UnitKind, UnitRole
from .models import Task
from .presenting import target_out, task_out
from .views import STATUS_COLOURS, campaign_detail, campaign_for
from .views_import import mapping_context
from .workflow import FLOW, is_campaign_office

IMPLEMENTING = {
    "child_regions": "各下级地区",
    "members": "本级安委会成员单位",
    "region": "指定地区",
    "department": "指定部门",
}


def units_from_form(post: Any, campaign: Any) -> list[dict[str, Any]]:
    """The office's form: a lead department and the implementing units (every region below, the committee's
    member departments, or one region or department)."""
    units: list[dict[str, Any]] = []
    errors: list[FieldError] = []
    lead = post.get("lead", "").strip()
    if lead:
        department = Department.objects.filter(pk=services._int(lead)).first()
        if department is None:
            errors.append(FieldError("lead", "not_found", "请选择牵头部门"))
        else:
            units.append(
                {
                    "role": UnitRole.LEAD,
                    "text": f"{campaign.region.name}{department.name}",
                    "kind": UnitKind.DEPARTMENT,
                    "region": None,
                    "department": department,
                }
            )
    implementing = post.get("implementing", "")
    if implementing == "child_regions":
        units.append(
            {
                "role": UnitRole.IMPLEMENT,
                "text": post.get("implementing_text", "").strip() or "各下级地区",
                "kind": UnitKind.CHILD_REGIONS,
                "region": None,
                "department": None,
            }
        )
    elif implementing == "members":
        units.append(
            {
                "role": UnitRole.SHARE,
                "text": "本级安委会成员单位",
                "kind": UnitKind.MEMBER_DEPARTMENTS,
                "region": None,
                "department": None,
            }
        )
    elif implementing == "region":
        region = Region.objects.filter(
            code=post.get("implementing_region", ""), parent=campaign.region
        ).first()
        if region is None:
            errors.append(FieldError("implementing_region", "required", "请选择落实地区"))
        else:
            units.append(
                {
                    "role": UnitRole.IMPLEMENT,
                    "text": region.name,
                    "kind": UnitKind.REGION,
                    "region": region,
                    "department": None,
                }
            )
    elif implementing == "department":
        department = Department.objects.filter(pk=services._int(post.get("implementing_department"))).first()
        if department is None:
            errors.append(FieldError("implementing_department", "required", "请选择落实部门"))
        else:
            units.append(
                {
                    "role": UnitRole.IMPLEMENT,
                    "text": f"{campaign.region.name}{department.name}",
                    "kind": UnitKind.DEPARTMENT,
                    "region": None,
                    "department": department,
                }
            )
    if not units and not errors:
        errors.append(FieldError("lead", "required", "请至少选择牵头部门或落实单位"))
    if errors:
        raise ValidationFailed(errors)
    return units


@login_required
@require_POST
def task_new(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request.user, pk)
    post = request.POST
    try:
        raw = {k: post.get(k, "") for k in ("number", "title", "content", "battle", "deadline")}
        units = units_from_form(post, campaign)
        battle = campaign.battles.filter(pk=services._int(raw["battle"])).first() if raw["battle"] else None
        from anquan.core import inputs

        errors: list[FieldError] = []
        deadline = inputs.day(raw["deadline"], "deadline", "完成期限", errors)
        if errors:
            raise ValidationFailed(errors)
        line = services.create_task(
            campaign,
            number=raw["number"],
            title=raw["title"],
            content=raw["content"],
            battle=battle,
            units=units,
            deadline=deadline,
            actor=request.user,
        )
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return campaign_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, f"已添加任务，分解到{line.subtasks.count()}个责任单位")
    return redirect("campaigns:task", line.pk)


def _tasks(user: Any) -> Any:
    return restrict(Task, user).select_related(
        "campaign__region", "region", "department", "battle", "stage", "parent"
    )


@login_required
def task_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    task = get_in_scope(_tasks(user), user, pk=pk)
    out = task_out(task, user, full=True)
    subtasks = list(
        restrict(Task, user)
        .filter(parent=task)
        .select_related("region", "department")
        .order_by("region__code", "department__order", "id")
    )
    for s in subtasks:
        s.colour = STATUS_COLOURS.get(TaskStatus(s.status), "secondary")
    reports = list(
        task.reports.select_related("dispatch", "submitted_by").prefetch_related("attachments")[:50]
    )
    include = select_template(["campaigns/report_list.html", "campaigns/_no_reports.html"])
    return render(
        request,
        "campaigns/task.html",
        {
            "t": task,
            "out": out,
            "colour": STATUS_COLOURS.get(TaskStatus(task.status), "secondary"),
            "targets": [target_out(x) for x in task.targets.select_related("task__region")],
            "subtasks": subtasks,
            "events": [
                {
                    "e": e,
                    "label": FLOW.transitions[e.action].label if e.action in FLOW.transitions else e.action,
                    "to": dict(TaskStatus.choices).get(e.to_status, "")
                    if e.to_status != e.from_status
                    else "",
                }
                for e in task.events.all()
            ],
            "steps": [
                (
                    a,
                    FLOW.transitions[a].label,
                    {"start": "outline-primary", "send_back": "outline-danger"}.get(a, "primary"),
                )
                for a in out["actions"]
            ],
            "reports": reports,
            "report_list": include.template.name,
            "adoptions": list(restrict(Task, user).filter(adopted_from=task).select_related("campaign")),
            # names of an imported list still flagged on this line, and the form to map them (views_import.py)
            **(mapping_context(task) if is_campaign_office(user, task) else {"flagged_units": []}),
            "errors": errors or {},
            "values": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@login_required
@require_POST
def task_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    task = get_in_scope(_tasks(user), user, pk=pk)
    try:
        seen = request.POST.get("status", "")
        if seen and seen != task.status:
            raise Conflict("stale", "该任务已被他人处理，请刷新后重试")
        services.task_transition(
            task, request.POST.get("action", ""), actor=user, comment=request.POST.get("comment", "")
        )
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return task_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, "已办理")
    return redirect("campaigns:task", pk)


@login_required
def task_list(request: AuthedRequest) -> HttpResponse:
    """The tasks of a to-do (`view`: mine, overdue, review) or all tasks in scope, filtered by status."""
    from anquan.core.paging import paginate

    from . import todo

    user = request.user
    qs = restrict(Task, user).select_related("campaign", "region", "department", "battle")
    view = request.GET.get("view", "")
    if view in todo.VIEWS:
        qs = qs.filter(todo.conditions(user)[view]).distinct()
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs.order_by("deadline", "campaign_id", "order", "id"))
    for t in page.object_list:
        t.colour = STATUS_COLOURS.get(TaskStatus(t.status), "secondary")
    return render(
        request,
        "campaigns/tasks.html",
        {"page": page, "view": todo.LABELS.get(view, ""), "statuses": TaskStatus.choices},
    )
