"""Pages of targeting and yearly plans: the ranked targeting list of a region (filters, breakdown on click,
Excel), the plans in scope, a new plan, one plan (capacity, key enterprises to accept or override, approval,
revision) and its coverage with the uncovered key enterprises (Excel). Addresses in urls.py, API in api.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.core.xlsx import Column, export_filename, export_workbook, ledger_sheet, xlsx_response
from anquan.orgs.models import Industry
from anquan.regions.models import Region
from anquan.rules.models import RuleVersion

from . import coverage as coverage_rules
from . import services
from .choices import BAND_COLOURS, STATUS_COLOURS, Band, PlanStatus
from .models import InspectionPlan
from .workflow import available, transition

TARGET_COLUMNS = [
    Column("排名", 6),
    Column("单位名称", 30, wrap=True),
    Column("统一社会信用代码", 21),
    Column("乡镇（街道）", 14),
    Column("行业类别", 14, wrap=True),
    Column("得分", 7),
    Column("分档", 8),
    Column("建议年度检查次数", 10),
    Column("说明", 40, wrap=True),
    Column("得分明细", 60, wrap=True),
]


def _target_input(request: AuthedRequest) -> tuple[Region, dict[str, Any]]:
    if not has_perm(request.user, Perm.TARGETING_VIEW):
        raise Http404
    params = {k: request.GET.get(k, "").strip() for k in ("township", "industry", "band")}
    return services.resolve_region(request.user, request.GET.get("region")), params


@login_required
def targets(request: AuthedRequest) -> HttpResponse:
    try:
        region, params = _target_input(request)
        found, version = services.targets(request.user, region, params)
        errors: dict[str, str] = {}
    except ValidationFailed as exc:
        region, params, errors = services.resolve_region(request.user, None), {}, _errors(exc)
        found, version = services.targets(request.user, region)
    page = paginate(request, found, 50)
    for n, t in enumerate(page.object_list, page.start_index()):
        t.rank = n
    townships = (
        Region.objects.filter(parent=region).order_by("code") if region.level == 3 else Region.objects.none()
    )
    return render(
        request,
        "inspectionplans/targets.html",
        {
            "region": region,
            "page": page,
            "count": len(found),
            "version": version,
            "params": params,
            "bands": Band.choices,
            "band_colours": BAND_COLOURS,
            "townships": townships,
            "industries": Industry.objects.filter(kind="category"),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def targets_export(request: AuthedRequest) -> HttpResponse:
    try:
        region, params = _target_input(request)
        found, version = services.targets(request.user, region, params)
    except ValidationFailed:
        raise Http404 from None
    wb = export_workbook()
    note = "" if version.verified == "verified" else f"评分权重依据：{version.source}（未核实）"
    ws = ledger_sheet(
        wb,
        "执法检查对象排序",
        owner=region.name,
        title="分级分类执法检查对象排序",
        columns=TARGET_COLUMNS,
        note=note,
    )
    for n, t in enumerate(found, 1):
        detail = "；".join(
            f"{f.label}：{f.value}（{f.points}分）" if f.available else f"{f.label}：{f.value}"
            for f in t.factors
        )
        ws.append(
            [
                n,
                t.name,
                t.uscc,
                t.township,
                t.industry,
                t.score,
                t.band_label,
                t.frequency,
                t.explanation,
                detail,
            ]
        )
    ws.close()
    return xlsx_response(wb, export_filename(region.name, "分级分类执法检查对象排序"))


def _plans(user: User) -> QuerySet[InspectionPlan]:
    return restrict(InspectionPlan, user).select_related("region", "department")


@login_required
def plan_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not has_perm(user, Perm.TARGETING_VIEW):
        raise Http404
    qs = _plans(user)
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "inspectionplans/plan_list.html",
        {
            "page": paginate(request, qs),
            "statuses": PlanStatus.choices,
            "colours": STATUS_COLOURS,
            "can_prepare": services.can_prepare(user),
        },
    )


@login_required
def plan_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if not services.can_prepare(user):
        raise Http404
    assert user.region is not None  # can_prepare
    capacity, version = services.capacity_rule(user.region.code)
    this_year = timezone.localdate().year
    values: dict[str, Any] = {"year": this_year, "working_days": capacity.working_days}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "").strip()
            for k in (
                "year",
                "inspectors",
                "working_days",
                "other_enforcement_days",
                "non_enforcement_days",
                "random_quota",
                "note",
            )
        }
        try:
            plan = services.create_plan({k: v for k, v in values.items() if v != ""}, actor=user)
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            messages.success(request, "计划草稿已生成，请逐一确认重点企业的检查次数")
            return redirect("inspectionplans:plan", pk=plan.pk)
    return render(
        request,
        "inspectionplans/plan_new.html",
        {
            "values": values,
            "errors": errors,
            "version": version,
            "years": [this_year - 1, this_year, this_year + 1],
        },
        status=status,
    )


@login_required
def plan_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    entries = list(plan.entries.select_related("enterprise", "decided_by"))
    key_days = sum(e.frequency for e in entries) * plan.person_days_per_inspection
    towns = dict(
        Region.objects.filter(code__in={e.township_code for e in entries}).values_list("code", "name")
    )
    for e in entries:
        e.township = towns.get(e.township_code, "")
    rules = {
        v.key: v for v in RuleVersion.objects.filter(pk__in=[plan.capacity_rule_id, plan.targeting_rule_id])
    }
    return render(
        request,
        "inspectionplans/plan_detail.html",
        {
            "plan": plan,
            "entries": entries,
            "key_days": key_days,
            "general_days": plan.supervision_days - key_days,
            "editable": plan.status in services.EDITABLE and services.can_prepare(user, plan),
            "actions": available(plan, user),
            "events": plan.events.all(),
            "colours": STATUS_COLOURS,
            "band_colours": BAND_COLOURS,
            "rules": list(rules.values()),
            "errors": errors or {},
            "revision": InspectionPlan.objects.filter(previous=plan).first(),
        },
        status=status,
    )


@login_required
@require_POST
def plan_act(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields = {k: request.POST.get(k, "") for k in ("comment", "reason") if k in request.POST}
    try:
        moved = transition(plan, action, actor=user, **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return plan_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(
        request,
        {
            "submit": "计划已提交审批",
            "approve": "计划已批准",
            "return": "计划已退回",
            "revise": "已起草修订版本",
        }.get(action, "已完成"),
    )
    return redirect("inspectionplans:plan", pk=moved.pk)


@login_required
@require_POST
def entry_decide(request: AuthedRequest, pk: int, entry_id: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    try:
        services.decide_entry(
            plan,
            entry_id,
            frequency=request.POST.get("frequency"),
            reason=request.POST.get("reason"),
            actor=user,
        )
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return plan_detail(request, pk, errors=_errors(exc), status=_status(exc))
    return redirect(f"{request.path.rsplit('/entries/', 1)[0]}/#entry-{entry_id}")


@login_required
@require_POST
def accept_all(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    try:
        n = services.accept_all(plan, actor=user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return plan_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, f"已采纳{n}家企业的建议检查次数")
    return redirect("inspectionplans:plan", pk=pk)


@login_required
@require_POST
def plan_inputs(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    raw = {k: request.POST[k] for k in services.LABELS if k in request.POST}
    try:
        services.update_inputs(plan, raw, actor=user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return plan_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, "已保存")
    return redirect("inspectionplans:plan", pk=pk)


@login_required
def plan_coverage(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    data = coverage_rules.coverage(plan, coverage_rules.inspected_pairs(plan))
    month = coverage_rules.as_of_month(plan)
    return render(
        request,
        "inspectionplans/plan_coverage.html",
        {"plan": plan, "data": data, "month": month, "band_colours": BAND_COLOURS},
    )


@login_required
def uncovered_export(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    plan = get_in_scope(_plans(user), user, pk=pk)
    return coverage_rules.uncovered_export(
        plan, coverage_rules.coverage(plan, coverage_rules.inspected_pairs(plan))
    )
