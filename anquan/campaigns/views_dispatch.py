"""Dispatch pages (anquan/campaigns/dispatching.py): a campaign's dispatches and opening one, the office's dispatch
sheet (filters, Excel, 催报, close), a unit's report card on the phone (opened from its to-do list), an attachment.
Addresses in DISPATCH_URLS (appended to campaigns/urls.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core import xlsx
from anquan.core.contract import parse_date
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.offline import REFUSALS, submit_once
from anquan.core.scope import CHANGE, get_in_scope, in_scope, restrict
from anquan.core.uploads import scoped_file

from . import dispatching
from .dispatch_workflow import CLOSE, FLOW
from .models import Campaign, Dispatch, ReportAttachment, Task, TaskReport

STATES = (dispatching.ON_TIME, dispatching.LATE, dispatching.MISSING)


# ---- a campaign's dispatches --------------------------------------------------------------------------------------


def _list_page(
    request: AuthedRequest, campaign: Campaign, *, errors=None, posted=None, status=200
) -> HttpResponse:
    dispatches = restrict(Dispatch, request.user).filter(campaign=campaign)
    return render(
        request,
        "campaigns/dispatch_list.html",
        {
            "campaign": campaign,
            "dispatches": dispatches,
            "may_open": in_scope(campaign, request.user, CHANGE),
            "fields": {"period", "opens_on", "due_on"},
            "errors": errors or {},
            "posted": posted or _next_window(campaign),
        },
        status=status,
    )


def _next_window(campaign: Campaign) -> dict[str, str]:
    """The form's suggestion: this month, or the first month after it without a dispatch; reports from its first
    day (today, for this month), due five days later."""
    today = timezone.localdate()
    month = today.replace(day=1)
    taken = set(
        Dispatch.objects.filter(campaign=campaign, period__gte=month).values_list("period", flat=True)
    )
    while month in taken:
        month = (month + dt.timedelta(days=32)).replace(day=1)
    opens = max(today, month)
    return {
        "period": month.strftime("%Y-%m"),
        "opens_on": opens.isoformat(),
        "due_on": (opens + dt.timedelta(days=5)).isoformat(),
    }


@login_required
def dispatch_list(request: AuthedRequest, campaign_pk: int) -> HttpResponse:
    return _list_page(request, get_in_scope(Campaign, request.user, pk=campaign_pk))


@login_required
@require_POST
def dispatch_open(request: AuthedRequest, campaign_pk: int) -> HttpResponse:
    campaign = get_in_scope(Campaign, request.user, pk=campaign_pk)
    posted = {k: request.POST.get(k, "").strip() for k in ("period", "opens_on", "due_on")}
    try:
        errors: list[FieldError] = []
        dates = {}
        for name, label in (("opens_on", "开始填报日期"), ("due_on", "报送截止日期")):
            try:
                dates[name] = parse_date(posted[name], name)
            except ValidationFailed as exc:
                errors += exc.errors
            if posted[name] == "":
                errors.append(FieldError(name, "required", f"请填写{label}"))
        try:
            period = parse_date(f"{posted['period']}-01", "period") if posted["period"] else None
        except ValidationFailed:
            period = None
        if period is None:
            errors.append(FieldError("period", "invalid", "请选择调度月份"))
        if errors:
            raise ValidationFailed(errors)
        dispatch = dispatching.open_dispatch(campaign, period=period, actor=request.user, **dates)  # type: ignore[arg-type]
    except REFUSALS as exc:
        return _list_page(request, campaign, errors=_errors(exc), posted=posted, status=_status(exc))
    messages.success(request, _("The dispatch is open for reports."))
    return redirect("campaigns:dispatch_sheet", pk=dispatch.pk)


# ---- the dispatch sheet ---------------------------------------------------------------------------------------


def _dispatch(request: AuthedRequest, pk: int) -> Dispatch:
    return get_in_scope(restrict(Dispatch, request.user).select_related("campaign"), request.user, pk=pk)


def _state(request: AuthedRequest) -> str | None:
    state = request.GET.get("state", "")
    return state if state in STATES else None


def _sheet_page(request: AuthedRequest, dispatch: Dispatch, *, errors=None, status=200) -> HttpResponse:
    state = _state(request)
    everything = dispatching.sheet(dispatch, request.user)
    rows = [r for r in everything if state is None or r.state == state]
    return render(
        request,
        "campaigns/dispatch_sheet.html",
        {
            "dispatch": dispatch,
            "rows": rows,
            "counts": dispatching.counts(everything),
            "state": state or "",
            "states": [(s, dispatching.STATE_LABELS[s]) for s in STATES],
            "may_change": in_scope(dispatch, request.user, CHANGE),
            "may_close": FLOW.can(dispatch, CLOSE, request.user) and in_scope(dispatch, request.user, CHANGE),
            "errors": errors or {},
        },
        status=status,
    )


@login_required
def dispatch_sheet(request: AuthedRequest, pk: int) -> HttpResponse:
    return _sheet_page(request, _dispatch(request, pk))


@login_required
def dispatch_export(request: AuthedRequest, pk: int) -> HttpResponse:
    dispatch = _dispatch(request, pk)
    workbook = xlsx.export_workbook()
    sheet = xlsx.add_sheet(workbook, "调度清单")
    sheet.append([f"{dispatch.campaign.name} {dispatch.title}（截止{dispatch.due_on:%Y-%m-%d}）"])
    sheet.append(
        ["序号", "任务", "责任单位", "报送情况", "报送时间", "进展情况", "指标完成值", "附件", "催报次数"]
    )
    for row in dispatching.sheet(dispatch, request.user, _state(request)):
        report = row.report
        sheet.append(
            [
                row.task.number,
                row.task.title,
                row.unit,
                row.state_label,
                timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M") if report else "",
                report.text if report else "",
                "；".join(f"{t.name}{v}{t.unit}" for t, v in row.actuals),
                "；".join(a.name for a in row.attachments),
                len(row.reminders),
            ],
        )
    return xlsx.xlsx_response(
        workbook, xlsx.export_filename(dispatch.campaign.name, f"{dispatch.title}调度清单")
    )


@login_required
@require_POST
def dispatch_remind(request: AuthedRequest, pk: int) -> HttpResponse:
    dispatch = _dispatch(request, pk)
    try:
        ids = [int(v) for v in request.POST.getlist("tasks") if v.isdigit()]
        tasks = list(restrict(dispatching.expected(dispatch), request.user).filter(pk__in=ids))
        sent = dispatching.remind(
            dispatch, tasks, message=request.POST.get("message", ""), actor=request.user
        )
    except REFUSALS as exc:
        return _sheet_page(request, dispatch, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("Reminders sent: %(count)d.") % {"count": len(sent)})
    return redirect("campaigns:dispatch_sheet", pk=dispatch.pk)


@login_required
@require_POST
def dispatch_close(request: AuthedRequest, pk: int) -> HttpResponse:
    dispatch = _dispatch(request, pk)
    try:
        dispatching.close(dispatch, actor=request.user, comment=request.POST.get("comment", "").strip()[:500])
    except REFUSALS as exc:
        return _sheet_page(request, dispatch, errors=_errors(exc), status=_status(exc))
    messages.success(request, _("The dispatch is closed."))
    return redirect("campaigns:dispatch_sheet", pk=dispatch.pk)


@login_required
def attachment(request: AuthedRequest, pk: int) -> HttpResponse:
    return scoped_file(request.user, ReportAttachment, pk)


# ---- a unit's report -------------------------------------------------------------------------------------------


def _task_and_dispatch(request: AuthedRequest, pk: int, task_pk: int) -> tuple[Task, Dispatch]:
    task = get_in_scope(
        restrict(Task, request.user).select_related("campaign", "region", "department", "parent"),
        request.user,
        pk=task_pk,
    )
    dispatch = Dispatch.objects.select_related("campaign").filter(pk=pk, campaign_id=task.campaign_id).first()
    if dispatch is None:
        raise Http404
    return task, dispatch


def _report_page(
    request: AuthedRequest, task: Task, dispatch: Dispatch, *, errors=None, posted=None, status=200
) -> HttpResponse:
    report = TaskReport.objects.filter(task=task, dispatch=dispatch).prefetch_related("attachments").first()
    targets = list(task.targets.all())
    values = (posted or {}).get("actuals") or (report.actuals if report else {})
    return render(
        request,
        "campaigns/report_form.html",
        {
            "task": task,
            "dispatch": dispatch,
            "unit": dispatching.unit_label(task),
            "report": report,
            "targets": [
                (t, values.get(str(t.pk), ""), (errors or {}).get(f"actual_{t.pk}")) for t in targets
            ],
            "mine": dispatching.is_unit(request.user, task),
            "late": timezone.localdate() > dispatch.due_on,
            "reminders": task.reminders.filter(dispatch=dispatch),
            "errors": errors or {},
            "fields": {"text", "file", "actuals", *(f"actual_{t.pk}" for t in targets)},
            "posted": posted or {"text": report.text if report else ""},
            "form_key": uuid.uuid4().hex,
        },
        status=status,
    )


@login_required
def report_form(request: AuthedRequest, pk: int, task_pk: int) -> HttpResponse:
    task, dispatch = _task_and_dispatch(request, pk, task_pk)
    return _report_page(request, task, dispatch)


@login_required
@require_POST
def report_submit(request: AuthedRequest, pk: int, task_pk: int) -> HttpResponse:
    """The unit's report card: text, each target's actual, attachments, 本任务已完成; the form's client key makes
    a resend from the phone's offline queue record nothing twice."""
    task, dispatch = _task_and_dispatch(request, pk, task_pk)
    files = request.FILES.getlist("files")
    actuals = {str(t.pk): request.POST.get(f"actual_{t.pk}", "").strip() for t in task.targets.all()}
    actuals = {k: v for k, v in actuals.items() if v}
    posted: dict[str, Any] = {"text": request.POST.get("text", ""), "actuals": actuals}
    done = request.POST.get("done") == "on"

    def create() -> dict[str, Any]:
        report, _wrote = dispatching.submit_report(
            task, dispatch, text=posted["text"], actuals=actuals, files=files, done=done, actor=request.user
        )
        return {"id": report.pk, "late": report.late}

    try:
        body = submit_once(request, f"campaigns.report.{task.pk}.{dispatch.pk}", create)
    except REFUSALS as exc:
        return _report_page(request, task, dispatch, errors=_errors(exc), posted=posted, status=_status(exc))
    if body.get("late"):
        messages.warning(request, _("Progress reported after the due day: recorded as late."))
    else:
        messages.success(request, _("Progress reported."))
    return redirect("campaigns:report_form", pk=dispatch.pk, task_pk=task.pk)


def report_list_context(task: Task) -> dict[str, Any]:
    """For `campaigns/report_list.html` on a task's page: its reports, newest first, with attachments."""
    return {
        "task_reports": task.reports.select_related("dispatch", "submitted_by").prefetch_related(
            "attachments"
        )
    }


DISPATCH_URLS: list[URLPattern] = [
    path("campaigns/<int:campaign_pk>/dispatches/", dispatch_list, name="dispatch_list"),
    path("campaigns/<int:campaign_pk>/dispatches/open/", dispatch_open, name="dispatch_open"),
    path("dispatches/<int:pk>/", dispatch_sheet, name="dispatch_sheet"),
    path("dispatches/<int:pk>/export.xlsx", dispatch_export, name="dispatch_export"),
    path("dispatches/<int:pk>/remind/", dispatch_remind, name="dispatch_remind"),
    path("dispatches/<int:pk>/close/", dispatch_close, name="dispatch_close"),
    path("dispatches/<int:pk>/tasks/<int:task_pk>/report/", report_form, name="report_form"),
    path("dispatches/<int:pk>/tasks/<int:task_pk>/report/send/", report_submit, name="report_submit"),
    path("dispatches/attachments/<int:pk>/", attachment, name="report_attachment"),
]
