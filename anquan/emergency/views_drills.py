"""The pages of drills and of readiness: the drills in scope, the drill record form (a manager records a drill on
site with photos, on a phone), and the overview — the statistics with the overdue lists (drills, evaluations,
filing, re-filing, units with no filed plan) and their Excel export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import scoped_file
from anquan.core.xlsx import add_sheet, as_of, export_filename, export_workbook, xlsx_response
from anquan.rules.services import in_force

from . import actions, rules, services
from .choices import DrillKind
from .models import Drill, DrillFile
from .views import _plans, _writer
from .workflow import is_owner

DRILL_FIELDS = (
    "held_on",
    "kind",
    "organiser",
    "participant_count",
    "participants",
    "scenario",
    "evaluation",
    "improvements",
)


@login_required
def drill_list(request: AuthedRequest) -> HttpResponse:
    _writer(request.user)
    qs = restrict(Drill, request.user).select_related(
        "plan", "plan__enterprise", "plan__region", "plan__owner_department"
    )
    return render(request, "emergency/drill_list.html", {"page": paginate(request, qs)})


@login_required
def drill_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a drill of plan `pk` with its photos and report (one transaction)."""
    user = request.user
    _writer(user)
    plan = get_in_scope(_plans(user), user, pk=pk)
    ctx: dict[str, Any] = {"p": plan, "kinds": DrillKind.choices, "values": {}, "may": is_owner(user, plan)}
    if request.method == "POST":
        raw = {k: request.POST.get(k, "") for k in DRILL_FIELDS}
        try:
            drill = actions.record_drill(plan, raw, actor=user, files=request.FILES.getlist("files"))
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            ctx |= {"errors": _errors(exc), "values": request.POST}
            return render(request, "emergency/drill_form.html", ctx, status=_status(exc))
        messages.success(request, "应急演练已登记")
        return redirect("emergency:drill", pk=drill.pk)
    ctx["values"] = {"held_on": timezone.localdate().isoformat(), "organiser": plan.owner_label}
    return render(request, "emergency/drill_form.html", ctx)


@login_required
def drill_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _writer(request.user)
    drill = get_in_scope(restrict(Drill, request.user).select_related("plan"), request.user, pk=pk)
    return render(request, "emergency/drill_detail.html", {"d": drill, "files": drill.files.all()})


@login_required
def drill_file(request: AuthedRequest, pk: int) -> FileResponse:
    return scoped_file(request.user, DrillFile, pk)


def _region_name(user: Any) -> str:
    return user.region.name if user.region else ""


def _on(request: AuthedRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


def _overview(user: Any, on: dt.date) -> dict[str, Any]:
    prefix = "" if user.enterprise_id else user.region.prefix
    qs = services.plans(user, prefix)
    return {
        "on": on,
        "figures": services.statistics(user, prefix, on),
        "overdue": services.overdue_units(qs, on),
        "evaluations": services.evaluations_due(qs, on, within_days=90),
        "late": services.filing_late(qs, on),
        "refiling": list(services.refiling_due(qs)),
        "without": list(services.units_without_filed_plan(user, on, prefix)[:500]),
        "plan_rule": in_force(rules.PLANS, on),
        "drill_rule": in_force(rules.DRILLS, on),
    }


@login_required
def overdue(request: AuthedRequest) -> HttpResponse:
    _writer(request.user)
    return render(request, "emergency/overdue.html", _overview(request.user, _on(request)))


FIGURE_LABELS = (
    ("plans_filed", "已备案预案"),
    ("plans_filed_by_lapse", "其中逾期视为已备案"),
    ("plans_awaiting", "待备案预案"),
    ("plans_returned", "被退回预案"),
    ("plans_draft", "未提交备案预案"),
    ("units_without_filed_plan", "无已备案预案的单位"),
    ("filing_late", "未在公布后20个工作日内备案的预案"),
    ("refiling_due", "待重新备案的修订预案"),
    ("evaluations_overdue", "逾期未评估的预案"),
    ("drills_this_year", "本年度演练次数"),
    ("units_overdue_drill", "逾期未演练的单位"),
)


@login_required
def export(request: AuthedRequest) -> HttpResponse:
    _writer(request.user)
    data = _overview(request.user, _on(request))
    wb = export_workbook()
    sheet = add_sheet(wb, "应急预案统计")
    sheet.append([f"{_region_name(request.user)}应急预案与演练统计（{data['on']:%Y-%m-%d}）"])
    sheet.append([as_of()])
    sheet.append(["项目", "数值"])
    for key, label in FIGURE_LABELS:
        sheet.append([label, data["figures"][key]])
    sheet = add_sheet(wb, "逾期未演练")
    sheet.append(["单位", "区域", "应演练日期", "预案"])
    for u in data["overdue"]:
        sheet.append([u.owner, u.region, u.due_on, "；".join(d.plan.title for d in u.plans)])
    sheet = add_sheet(wb, "待评估")
    sheet.append(["单位", "预案", "上次评估或公布", "应评估日期"])
    for e in data["evaluations"]:
        sheet.append([e.plan.owner_label, e.plan.title, e.since, e.due_on])
    sheet = add_sheet(wb, "未按期备案")
    sheet.append(["单位", "预案", "应备案日期"])
    for f in data["late"]:
        sheet.append([f.plan.owner_label, f.plan.title, f.due_on])
    sheet = add_sheet(wb, "无已备案预案的单位")
    sheet.append(["单位", "统一社会信用代码", "区域", "行业"])
    for e in data["without"]:
        sheet.append([e.name, e.uscc, e.region.name, e.industry.name])
    return xlsx_response(wb, export_filename(_region_name(request.user), "应急预案统计"))
