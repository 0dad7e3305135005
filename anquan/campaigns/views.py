"""Campaign pages: the list, create and edit (stages, battles), the detail with its task list by battle, the
campaign's step buttons, and the progress dashboard. Task pages are in views_tasks.py."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.orgs.models import Department
from anquan.regions.models import Region

from . import services, stats
from .choices import CampaignStatus, TaskStatus
from .models import OFFICES, Campaign, Task
from .presenting import campaign_out
from .workflow import CAMPAIGN_FLOW

STATUS_COLOURS = {
    TaskStatus.ASSIGNED: "secondary",
    TaskStatus.IN_PROGRESS: "primary",
    TaskStatus.OVERDUE: "danger",
    TaskStatus.REPORTED_DONE: "warning",
    TaskStatus.VERIFIED_DONE: "success",
}
STAGE_ROWS = 4
PLACEHOLDERS = ("动员部署", "集中攻坚", "巩固提升", "")
BATTLE_LINE = re.compile(
    r"^\s*(?:(?P<number>[一二三四五六七八九十百\d]+)[、.．]\s*)?(?P<name>.+?)\s*(?:[（(](?P<lead>[^（()）]+)[)）])?\s*$"
)


def campaign_for(user: Any, pk: int) -> Campaign:
    return stats.campaign_for(user, pk)


def may_create(user: Any) -> bool:
    return user.role in OFFICES and user.department_id is None and not user.enterprise_id


@login_required
def campaign_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    campaigns = stats.visible_campaigns(user).order_by("-starts_on", "id")
    status = request.GET.get("status", "")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(status=status)
    rows = [campaign_out(c, user) | {"obj": c} for c in campaigns[:200]]
    return render(
        request,
        "campaigns/list.html",
        {"rows": rows, "statuses": CampaignStatus.choices, "may_create": may_create(user)},
    )


def _battles_from_text(text: str) -> list[dict[str, str]]:
    """ "一、危险化学品安全攻坚战（省应急管理厅）" per line → number, name, lead."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        match = BATTLE_LINE.match(line)
        assert match is not None  # the pattern matches any non-blank line
        out.append(
            {
                "number": match["number"] or "",
                "name": match["name"],
                "lead_text": (match["lead"] or "").strip(),
            }
        )
    return out


def _stages_from_post(post: Any) -> list[dict[str, str]]:
    rows = []
    for i in range(STAGE_ROWS):
        name = post.get(f"stage_name_{i}", "").strip()
        starts, ends = post.get(f"stage_start_{i}", ""), post.get(f"stage_end_{i}", "")
        if name or starts or ends:
            rows.append({"name": name, "starts_on": starts, "ends_on": ends})
    return rows


def _form_context(campaign: Campaign | None, post: Any = None) -> dict[str, Any]:
    if post is not None:
        values = {
            k: post.get(k, "")
            for k in (
                "name",
                "short_name",
                "document_number",
                "description",
                "starts_on",
                "ends_on",
                "battles",
            )
        }
        stages = [
            {
                "name": post.get(f"stage_name_{i}", ""),
                "starts_on": post.get(f"stage_start_{i}", ""),
                "ends_on": post.get(f"stage_end_{i}", ""),
            }
            for i in range(STAGE_ROWS)
        ]
    elif campaign is not None:
        values = {
            "name": campaign.name,
            "short_name": campaign.short_name,
            "document_number": campaign.document_number,
            "description": campaign.description,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "battles": "\n".join(
                f"{b.number}、{b.name}" if b.number else b.name for b in campaign.battles.all()
            ),
        }
        values["battles"] = "\n".join(
            (f"{b.number}、" if b.number else "") + b.name + (f"（{b.lead_text}）" if b.lead_text else "")
            for b in campaign.battles.all()
        )
        existing = [
            {"name": s.name, "starts_on": s.starts_on.isoformat(), "ends_on": s.ends_on.isoformat()}
            for s in campaign.stages.all()
        ]
        stages = (existing + [{"name": "", "starts_on": "", "ends_on": ""}] * STAGE_ROWS)[:STAGE_ROWS]
    else:
        values = {}
        stages = [{"name": "", "starts_on": "", "ends_on": ""} for _ in range(STAGE_ROWS)]
    for row, placeholder in zip(stages, PLACEHOLDERS, strict=False):
        row["placeholder"] = placeholder
    return {"campaign": campaign, "values": values, "stages": list(enumerate(stages))}


def _stage_errors(exc: ValidationFailed) -> ValidationFailed:
    """stages.1.starts_on → stage_start_1 (the form's own field names, so the message shows under its input)."""
    names = {"name": "stage_name", "starts_on": "stage_start", "ends_on": "stage_end"}
    out = []
    for e in exc.errors:
        parts = e.field.split(".")
        if parts[0] == "stages" and len(parts) == 3:
            out.append(FieldError(f"{names[parts[2]]}_{parts[1]}", e.code, e.message))
        elif parts[0] == "battles":
            out.append(
                FieldError(
                    "battles",
                    e.code,
                    f"第{int(parts[1]) + 1}行：{e.message}" if len(parts) > 1 else e.message,
                )
            )
        else:
            out.append(e)
    return ValidationFailed(out)


@login_required
def campaign_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    campaign = campaign_for(user, pk) if pk else None
    if campaign is not None and not services.may_manage(user, campaign):
        raise Http404
    if campaign is None and not may_create(user):
        raise Http404
    if request.method != "POST":
        return render(request, "campaigns/edit.html", _form_context(campaign) | {"errors": {}})
    post = request.POST
    try:
        with transaction.atomic():
            if campaign is None:
                campaign = services.create_campaign(
                    region=Region.objects.get(pk=user.region_id), raw=post, actor=user
                )
            else:
                campaign = services.update_campaign(campaign, post, actor=user)
            services.set_stages(campaign, _stages_from_post(post), actor=user)
            services.set_battles(campaign, _battles_from_text(post.get("battles", "")), actor=user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        shown = _stage_errors(exc) if isinstance(exc, ValidationFailed) else exc
        context = _form_context(campaign if pk else None, post) | {"errors": _errors(shown)}
        for i, row in context["stages"]:
            for key, name in (
                ("err_name", "stage_name"),
                ("err_start", "stage_start"),
                ("err_end", "stage_end"),
            ):
                row[key] = context["errors"].get(f"{name}_{i}", "")
        return render(request, "campaigns/edit.html", context, status=_status(exc))
    messages.success(request, "已保存")
    return redirect("campaigns:detail", campaign.pk)


@login_required
def campaign_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    campaign = campaign_for(user, pk)
    tasks = (
        stats.counted(campaign, user)
        .select_related("battle", "department", "region")
        .order_by("battle__order", "order", "id")
    )
    status_filter = request.GET.get("status", "")
    if status_filter in TaskStatus.values:
        tasks = tasks.filter(status=status_filter)
    groups: dict[Any, dict[str, Any]] = {}
    for task in tasks:
        group = groups.setdefault(task.battle_id, {"battle": task.battle, "tasks": []})
        group["tasks"].append(task)
    subs = {
        row["parent_id"]: row
        for row in Task.objects.filter(parent__in=[t.pk for g in groups.values() for t in g["tasks"]])
        .values("parent_id")
        .annotate(**_sub_counts())
    }
    for group in groups.values():
        for task in group["tasks"]:
            task.sub = subs.get(task.pk)
            task.colour = STATUS_COLOURS.get(TaskStatus(task.status), "secondary")
    manage = services.may_manage(user, campaign)
    return render(
        request,
        "campaigns/detail.html",
        {
            "c": campaign,
            "out": campaign_out(campaign, user),
            "groups": list(groups.values()),
            "statuses": TaskStatus.choices,
            "manage": manage,
            "available": CAMPAIGN_FLOW.available(campaign, user),
            "labels": {a: t.label for a, t in CAMPAIGN_FLOW.transitions.items()},
            "departments": Department.objects.order_by("order", "id") if manage else [],
            "children": Region.objects.filter(parent=campaign.region).order_by("code") if manage else [],
            "errors": errors or {},
            "values": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


def _sub_counts() -> dict[str, Any]:
    from django.db.models import Count, Q

    return {
        "total": Count("id"),
        "done": Count("id", filter=Q(status=TaskStatus.VERIFIED_DONE)),
        "overdue": Count("id", filter=Q(status=TaskStatus.OVERDUE)),
    }


@login_required
@require_POST
def campaign_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request.user, pk)
    try:
        services.campaign_transition(
            campaign,
            request.POST.get("action", ""),
            actor=request.user,
            comment=request.POST.get("comment", ""),
        )
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return campaign_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, "已办理")
    return redirect("campaigns:detail", pk)


@login_required
def dashboard(request: AuthedRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request.user, pk)
    figures = stats.progress(campaign, request.user)
    peak = max((m["verified_done"] for m in figures["trend"]), default=0) or 1
    for m in figures["trend"]:
        m["width"] = round(m["verified_done"] * 100 / peak)
    return render(request, "campaigns/dashboard.html", {"c": campaign, "f": figures})
