"""/api/v1 routes of dispatches (调度) and the units' progress reports (anquan/campaigns/dispatching.py):
`/dispatches` (list, open, one, its sheet, reminders, close) and `/campaign-tasks/{id}/reports` (a task's reports;
a unit's report as multipart with its attachments). Added to campaigns' router in api.py."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, plausible_date, responses
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import run_payload_once
from anquan.core.scope import get_in_scope, restrict
from anquan.standards.schemas import Id

from . import dispatching
from .models import Campaign, Dispatch, Task, TaskReport

router = Router(tags=["专项整治调度"])


# ---- schemas ---------------------------------------------------------------------------------------------------


class DispatchIn(Schema):
    campaign: Id = Field(description="专项行动编号")
    period: dt.date = Field(description="调度月份（该月任一日期，按月初保存）")
    opens_on: dt.date = Field(description="开始填报日期")
    due_on: dt.date = Field(description="报送截止日期；之后报送记为逾期")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class DispatchOut(Schema):
    id: int
    campaign: int
    campaign_name: str
    title: str
    period: dt.date
    opens_on: dt.date
    due_on: dt.date
    status: str
    status_label: str
    counts: dict[str, int] | None = Field(
        None, description="详情：按时报送 on_time、逾期 late、未报送 missing"
    )


class DispatchFilters(Schema):
    campaign: Id | None = Field(None, description="专项行动编号")
    status: Literal["open", "closed"] | None = None


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class ReportOut(Schema):
    id: int
    task: int
    dispatch: int | None
    dispatch_title: str
    text: str
    actuals: dict[str, Decimal] = Field(description="指标编号 → 完成值")
    late: bool
    submitted_by: str
    submitted_at: dt.datetime
    attachments: list[AttachmentOut]


class ReminderOut(Schema):
    id: int
    task: int
    message: str
    sent_by: str
    sent_at: dt.datetime


class SheetRowOut(Schema):
    task: int
    number: str
    title: str
    unit: str
    task_status: str
    state: Literal["on_time", "late", "missing"]
    state_label: str
    report: ReportOut | None
    reminders: list[ReminderOut]


class SheetFilters(Schema):
    state: Literal["on_time", "late", "missing"] | None = Field(None, description="按时、逾期或未报送")


class RemindIn(Schema):
    tasks: list[Id] = Field(min_length=1, max_length=500, description="未报送的任务编号")
    message: str = Field("", max_length=300, description="催报内容（可空：按截止日期自动生成）")


class DispatchTransitionIn(Schema):
    action: Literal["close"] = Field(description="close 结束调度")
    comment: str = Field("", max_length=500)


class ReportIn(Schema):
    dispatch: Id = Field(description="调度编号")
    text: str = Field(max_length=20000, description="进展情况")
    actuals: str | None = Field(None, max_length=5000, description='指标完成值，JSON：{"指标编号": 数值}')
    done: bool = Field(False, description="本任务已完成（报告完成）")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


# ---- presenting -------------------------------------------------------------------------------------------------


def dispatch_out(dispatch: Dispatch, counts: dict[str, int] | None = None) -> dict[str, Any]:
    return {
        "id": dispatch.pk,
        "campaign": dispatch.campaign_id,
        "campaign_name": dispatch.campaign.name,
        "title": dispatch.title,
        "period": dispatch.period,
        "opens_on": dispatch.opens_on,
        "due_on": dispatch.due_on,
        "status": dispatch.status,
        "status_label": dispatch.get_status_display(),
        "counts": counts,
    }


def _person(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def report_out(report: TaskReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "task": report.task_id,
        "dispatch": report.dispatch_id,
        "dispatch_title": report.dispatch.title if report.dispatch else "",
        "text": report.text,
        "actuals": report.actuals,
        "late": report.late,
        "submitted_by": _person(report.submitted_by),
        "submitted_at": report.submitted_at,
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "url": f"/dispatches/attachments/{a.pk}/",
            }
            for a in report.attachments.all()
        ],
    }


def _reminder_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "task": r.task_id,
        "message": r.message,
        "sent_by": _person(r.sent_by),
        "sent_at": r.sent_at,
    }


def _dispatches(request: AuthedRequest) -> QuerySet[Dispatch]:
    return restrict(Dispatch, request.user).select_related("campaign")


def _dispatch(request: AuthedRequest, dispatch_id: int) -> Dispatch:
    return get_in_scope(_dispatches(request), request.user, pk=dispatch_id)


# ---- dispatches -------------------------------------------------------------------------------------------------


@router.get("/dispatches", response=responses(Page[DispatchOut]))
def list_dispatches(
    request: AuthedRequest, filters: Query[DispatchFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _dispatches(request)
    if filters.campaign:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page(qs, paging, dispatch_out)


@router.post("/dispatches", response=responses({201: DispatchOut}, 400, 403, 404, 409, 415))
def open_dispatch(request: AuthedRequest, payload: DispatchIn) -> Status[dict[str, Any]]:
    """Open a campaign's monthly dispatch (月调度): one per campaign and month (409 for a second)."""

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        campaign = get_in_scope(Campaign, request.user, pk=raw["campaign"])
        dates = {name: plausible_date(raw[name], name) for name in ("period", "opens_on", "due_on")}
        dispatch = dispatching.open_dispatch(campaign, actor=request.user, **dates)  # type: ignore[arg-type]
        return 201, DispatchOut.model_validate(dispatch_out(dispatch)).model_dump(mode="json")

    status, body = run_payload_once(request, "campaigns.dispatch", payload, make)
    return Status(status, body)


@router.get("/dispatches/{dispatch_id}", response=responses(DispatchOut, 404))
def get_dispatch(request: AuthedRequest, dispatch_id: Id) -> dict[str, Any]:
    dispatch = _dispatch(request, dispatch_id)
    return dispatch_out(dispatch, dispatching.counts(dispatching.sheet(dispatch, request.user)))


@router.get("/dispatches/{dispatch_id}/sheet", response=responses(list[SheetRowOut], 404))
def dispatch_sheet(
    request: AuthedRequest, dispatch_id: Id, filters: Query[SheetFilters]
) -> list[dict[str, Any]]:
    """The dispatch sheet (调度清单): per task that must report, its unit, on time / late / missing, the report
    (text, actuals, attachments) and the reminders sent."""
    dispatch = _dispatch(request, dispatch_id)
    return [
        {
            "task": row.task.pk,
            "number": row.task.number,
            "title": row.task.title,
            "unit": row.unit,
            "task_status": row.task.status,
            "state": row.state,
            "state_label": row.state_label,
            "report": report_out(row.report) if row.report else None,
            "reminders": [_reminder_out(r) for r in row.reminders],
        }
        for row in dispatching.sheet(dispatch, request.user, filters.state)
    ]


@router.post(
    "/dispatches/{dispatch_id}/reminders",
    response=responses({201: list[ReminderOut]}, 400, 403, 404, 409, 415),
)
def send_reminders(
    request: AuthedRequest, dispatch_id: Id, payload: RemindIn
) -> Status[list[dict[str, Any]]]:
    """催报: a reminder to the unit of each task given that has not reported (each audited)."""
    dispatch = _dispatch(request, dispatch_id)
    tasks = list(restrict(dispatching.expected(dispatch), request.user).filter(pk__in=payload.tasks))
    unknown = set(payload.tasks) - {t.pk for t in tasks}
    if unknown:
        raise ValidationFailed(
            [FieldError("tasks", "unknown_task", f"本次调度没有编号为{min(unknown)}的待报送任务")]
        )
    sent = dispatching.remind(dispatch, tasks, message=payload.message, actor=request.user)
    return Status(201, [_reminder_out(r) for r in sent])


@router.post(
    "/dispatches/{dispatch_id}/transitions", response=responses(DispatchOut, 400, 403, 404, 409, 415)
)
def dispatch_transition(
    request: AuthedRequest, dispatch_id: Id, payload: DispatchTransitionIn
) -> dict[str, Any]:
    """`close`: end the dispatch; its late and missing reports are kept as they stand."""
    dispatch = _dispatch(request, dispatch_id)
    closed = dispatching.close(dispatch, actor=request.user, comment=payload.comment)
    return dispatch_out(closed, dispatching.counts(dispatching.sheet(closed, request.user)))


# ---- reports ----------------------------------------------------------------------------------------------------


def _task(request: AuthedRequest, task_id: int) -> Task:
    return get_in_scope(restrict(Task, request.user).select_related("campaign"), request.user, pk=task_id)


@router.get("/campaign-tasks/{campaign_task_id}/reports", response=responses(list[ReportOut], 404))
def task_reports(request: AuthedRequest, campaign_task_id: Id) -> list[dict[str, Any]]:
    task = _task(request, campaign_task_id)
    reports = task.reports.select_related("dispatch", "submitted_by").prefetch_related("attachments")
    return [report_out(r) for r in reports]


def _actuals(text: str | None) -> Any:
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        raise ValidationFailed([FieldError("actuals", "invalid", "指标完成值不是有效的JSON")]) from None


@router.post(
    "/campaign-tasks/{campaign_task_id}/reports",
    response=responses({200: ReportOut, 201: ReportOut}, 400, 403, 404, 409, 413, 415),
)
def submit_report(
    request: AuthedRequest,
    campaign_task_id: Id,
    payload: Form[ReportIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    """A unit's progress report on its task in a dispatch (multipart: text, actuals as JSON, attachments, done).
    After the due day it is kept as late; the same report again answers 200 and writes nothing; a different one
    before the due day replaces it; `done` reports the task done."""
    task = _task(request, campaign_task_id)

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        dispatch = Dispatch.objects.filter(pk=raw["dispatch"], campaign_id=task.campaign_id).first()
        if dispatch is None:
            raise ValidationFailed([FieldError("dispatch", "unknown", "该任务所属专项行动没有这次调度")])
        report, wrote = dispatching.submit_report(
            task,
            dispatch,
            text=raw["text"],
            actuals=_actuals(raw.get("actuals")),
            files=list(files or []),
            done=raw.get("done", False),
            actor=request.user,
        )
        report = TaskReport.objects.select_related("dispatch", "submitted_by").get(pk=report.pk)
        return (201 if wrote else 200), ReportOut.model_validate(report_out(report)).model_dump(mode="json")

    status, body = run_payload_once(request, f"campaigns.report.{task.pk}", payload, make)
    return Status(status, body)
