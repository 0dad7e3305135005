"""Dispatch cycles (调度) and the units' progress reports (issue #15 item 4; docs/adr/0037-dispatch-window.md).

A campaign's office opens one dispatch per month (`open_dispatch`): a reporting window from `opens_on` to
`due_on`. Every task that must report (`expected`: a sub-task, or a line without sub-tasks, not verified done)
is reported on by its unit — a user of the task's own region and department — with text, the targets' actuals
and attachments (`submit_report`). A report after `due_on` is kept and marked late; one report per task and
dispatch: the same submission again changes nothing, a correction before the due day replaces it (audited).
The office's dispatch sheet (`sheet`) lists per task: on time, late or missing, the report and the reminders
sent (`remind`). Closing (`close`: the office, or the sweep `CLOSE_AFTER_DAYS` after the due day) freezes what
was expected, late and missing in the close event; `on_time` counts them per unit for assessments and bulletins.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.permissions import Role
from anquan.core.scope import CHANGE, in_scope, restrict, within
from anquan.core.uploads import check_upload, store_upload

from . import services
from .choices import CampaignStatus, DispatchStatus, TargetSource, TaskStatus
from .dispatch_workflow import CLOSE, FLOW
from .models import (
    Campaign,
    Dispatch,
    DispatchEvent,
    Reminder,
    ReportAttachment,
    Target,
    Task,
    TaskReport,
)

CLOSE_AFTER_DAYS = 7  # the sweep closes an open dispatch this many days after its reports were due
MAX_FILES = 9  # attachments of one report
ON_TIME, LATE, MISSING = "on_time", "late", "missing"
STATE_LABELS = {ON_TIME: "按时报送", LATE: "逾期报送", MISSING: "未报送"}
# who reports for a unit: its office (a region's government) or its department's supervisors
REPORTERS = frozenset(
    {
        Role.PROVINCE_OFFICE,
        Role.CITY_OFFICE,
        Role.COUNTY_OFFICE,
        Role.TOWNSHIP_OFFICE,
        Role.DEPARTMENT_SUPERVISOR,
    }
)


# ---- opening and closing ------------------------------------------------------------------------------------


def _may_change(obj: models.Model, actor: Any) -> None:
    """404 outside the actor's scope, 403 when they see it but may not change it."""
    if not in_scope(obj, actor):
        raise Http404
    if not in_scope(obj, actor, CHANGE):
        raise NotPermitted("只有安委办可以组织调度")


def open_dispatch(
    campaign: Campaign, *, period: dt.date, opens_on: dt.date, due_on: dt.date, actor: Any
) -> Dispatch:
    """Open the campaign's dispatch of `period`'s month (月调度): one per campaign and month."""
    _may_change(campaign, actor)
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict("campaign_closed", "该专项行动已结束，不能再组织调度")
    if due_on < opens_on:
        raise ValidationFailed([FieldError("due_on", "before_open", "报送截止日期不能早于开始日期")])
    period = period.replace(day=1)
    if Dispatch.objects.filter(campaign=campaign, period=period).exists():
        raise Conflict("duplicate", f"本专项行动{period.year}年{period.month}月已有调度")
    try:
        with transaction.atomic():
            dispatch = Dispatch.objects.create(
                campaign=campaign,
                title=f"{period.year}年{period.month}月调度",
                period=period,
                opens_on=opens_on,
                due_on=due_on,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit.record_create(dispatch, actor=actor, comment=f"组织调度：{campaign.name}")
            FLOW.record_event(dispatch, "open", actor=actor, from_status="")
    except IntegrityError:  # a concurrent opening of the same month won
        raise Conflict("duplicate", f"本专项行动{period.year}年{period.month}月已有调度") from None
    return dispatch


def close(dispatch: Dispatch, *, actor: Any, comment: str = "") -> Dispatch:
    """Close the dispatch (the office, or the system: actor None); the close event keeps what was expected,
    late and missing at that moment."""
    rows = _states(dispatch)
    data = {
        "expected": sorted(rows),
        "late": sorted(pk for pk, state in rows.items() if state == LATE),
        "missing": sorted(pk for pk, state in rows.items() if state == MISSING),
    }
    closed, _ = FLOW.apply(dispatch, CLOSE, actor=actor, comment=comment, data=data)
    return closed


def close_due(today: dt.date) -> list[int]:
    """The sweep: close every open dispatch whose reports were due more than CLOSE_AFTER_DAYS ago."""
    closed = []
    cutoff = today - dt.timedelta(days=CLOSE_AFTER_DAYS)
    for dispatch in Dispatch.objects.filter(status=DispatchStatus.OPEN, due_on__lt=cutoff).select_related(
        "campaign"
    ):
        try:
            close(dispatch, actor=None, comment=f"报送截止{CLOSE_AFTER_DAYS}天后自动结束")
        except Conflict:  # closed by the office meanwhile
            continue
        closed.append(dispatch.pk)
    return closed


# ---- who must report -----------------------------------------------------------------------------------------


def _reporting_tasks() -> Q:
    """Tasks a unit reports on: a sub-task, or a line nobody's share was split from."""
    return Q(parent__isnull=False) | ~Exists(Task.objects.filter(parent=OuterRef("pk")))


def _closing(dispatch: Dispatch) -> dict[str, Any] | None:
    if dispatch.status != DispatchStatus.CLOSED:
        return None
    event = DispatchEvent.objects.filter(dispatch=dispatch, action=CLOSE).order_by("-at", "-id").first()
    return event.data if event is not None and "expected" in event.data else None


def expected(dispatch: Dispatch) -> QuerySet[Task]:
    """The tasks that must report in this dispatch: of an open one, those not verified done (or verified done
    after reporting in it); of a closed one, those it expected when it closed."""
    frozen = _closing(dispatch)
    if frozen is not None:
        return Task.objects.filter(pk__in=frozen["expected"])
    reported = TaskReport.objects.filter(task=OuterRef("pk"), dispatch=dispatch)
    return (
        Task.objects.filter(campaign_id=dispatch.campaign_id)
        .filter(_reporting_tasks())
        .filter(~Q(status=TaskStatus.VERIFIED_DONE) | Exists(reported))
    )


def _states(dispatch: Dispatch) -> dict[int, str]:
    """task id → on_time / late / missing, over every expected task."""
    reports = dict(TaskReport.objects.filter(dispatch=dispatch).values_list("task_id", "late"))
    return {
        pk: (MISSING if pk not in reports else LATE if reports[pk] else ON_TIME)
        for pk in expected(dispatch).values_list("pk", flat=True)
    }


def is_unit(user: Any, task: Task) -> bool:
    """Whether `user` reports for the task's unit: its region and department (none: the region's office)."""
    return (
        getattr(user, "pk", None) is not None
        and not user.enterprise_id
        and user.role in REPORTERS
        and user.region_id == task.region_id
        and user.department_id == task.department_id
    )


def unit_label(task: Task) -> str:
    if task.unit_label:
        return task.unit_label
    return f"{task.region.name}{task.department.name if task.department_id else '人民政府'}"


# ---- the dispatch sheet ------------------------------------------------------------------------------------


@dataclass
class SheetRow:
    task: Task
    unit: str
    state: str  # on_time / late / missing
    report: TaskReport | None
    actuals: list[tuple[Target, str]] = field(default_factory=list)
    attachments: list[ReportAttachment] = field(default_factory=list)
    reminders: list[Reminder] = field(default_factory=list)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def sheet(dispatch: Dispatch, user: Any, state: str | None = None) -> list[SheetRow]:
    """The dispatch sheet (调度清单) as `user` may see it: per expected task in their scope, its unit, whether
    it reported on time, late or not at all, the report's text, actuals and attachments, the reminders sent.
    `state` keeps only the rows of one state."""
    reports = TaskReport.objects.filter(dispatch=dispatch).select_related("submitted_by")
    tasks = (
        restrict(expected(dispatch), user)
        .select_related("region", "department", "parent")
        .prefetch_related(
            "targets",
            Prefetch("reports", queryset=reports.prefetch_related("attachments"), to_attr="in_dispatch"),
            Prefetch(
                "reminders",
                queryset=Reminder.objects.filter(dispatch=dispatch).select_related("sent_by"),
                to_attr="reminded",
            ),
        )
        .order_by("parent__order", "parent_id", "order", "number", "region_code", "id")
    )
    rows = []
    for task in tasks:
        report = task.in_dispatch[0] if task.in_dispatch else None  # type: ignore[attr-defined]
        row = SheetRow(
            task=task,
            unit=unit_label(task),
            state=MISSING if report is None else LATE if report.late else ON_TIME,
            report=report,
            reminders=list(task.reminded),  # type: ignore[attr-defined]
        )
        if report is not None:
            row.attachments = list(report.attachments.all())
            row.actuals = [
                (t, report.actuals[str(t.pk)]) for t in task.targets.all() if str(t.pk) in report.actuals
            ]
        if state is None or row.state == state:
            rows.append(row)
    return rows


def counts(rows: Iterable[SheetRow]) -> dict[str, int]:
    found = {ON_TIME: 0, LATE: 0, MISSING: 0}
    for row in rows:
        found[row.state] += 1
    return found


# ---- reports -------------------------------------------------------------------------------------------------


def _check(task: Task, dispatch: Dispatch, actor: Any, today: dt.date) -> None:
    if not in_scope(task, actor) or dispatch.campaign_id != task.campaign_id:
        raise Http404
    if not is_unit(actor, task):
        raise NotPermitted("只有任务的责任单位可以填报进度")
    if dispatch.status != DispatchStatus.OPEN:
        raise Conflict("dispatch_closed", "本次调度已结束，不能再填报")
    if today < dispatch.opens_on:
        raise Conflict("not_open", f"本次调度{dispatch.opens_on:%Y-%m-%d}开始填报")
    if not expected(dispatch).filter(pk=task.pk).exists():
        raise Conflict("not_expected", "该任务已核实完成，本次调度无需填报")


def clean_report(task: Task, text: Any, actuals: Any, files: Sequence[Any]) -> tuple[str, dict[str, str]]:
    """The report's text and actuals ({target id: number as text}) as stored, or ValidationFailed naming each bad
    field: the text required, each actual a number ≥ 0 for one of the task's targets, each file checked."""
    errors: list[FieldError] = []
    clean_text = inputs.text(text, "text", "进展情况", errors, max_length=inputs.LONG_TEXT, required=True)
    targets = {str(t.pk): t for t in task.targets.all()}
    values: dict[str, str] = {}
    if actuals in (None, ""):
        actuals = {}
    if not isinstance(actuals, dict):
        errors.append(FieldError("actuals", "invalid", "指标完成值应为对象（指标编号：数值）"))
        actuals = {}
    for key, raw in actuals.items():
        target = targets.get(str(key))
        if target is None:
            errors.append(FieldError("actuals", "unknown_target", f"该任务没有编号为{key}的指标"))
            continue
        number = inputs.amount(raw, f"actual_{target.pk}", target.name, errors, high=Decimal(10) ** 12)
        if number is not None:
            values[str(target.pk)] = str(number)
    if len(files) > MAX_FILES:
        errors.append(FieldError("file", "too_many", f"最多上传{MAX_FILES}个附件"))
    else:
        for upload in files:
            try:
                check_upload(upload)
            except ValidationFailed as exc:
                errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    return clean_text, values


def _same(report: TaskReport, text: str, actuals: dict[str, str], files: Sequence[Any]) -> bool:
    kept = {(a.name, a.size) for a in report.attachments.all()}
    return (
        report.text == text
        and report.actuals == actuals
        and all((f.name[:200], f.size) in kept for f in files)
    )


def submit_report(
    task: Task,
    dispatch: Dispatch,
    *,
    text: Any,
    actuals: Any,
    files: Sequence[Any] = (),
    done: bool = False,
    actor: Any,
    now: dt.datetime | None = None,
) -> tuple[TaskReport, bool]:
    """The unit's report on `task` in `dispatch`; returns (report, whether anything was written). After the due
    day it is kept as late. The same submission again writes nothing; a different one before the due day
    replaces the report (audited); after the due day a report stands (409). The first report starts an assigned
    task; `done` reports the task done (task workflow)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    _check(task, dispatch, actor, today)
    clean_text, values = clean_report(task, text, actuals, files)
    with transaction.atomic():
        existing = TaskReport.objects.select_for_update().filter(task=task, dispatch=dispatch).first()
        if (
            existing is not None
            and _same(existing, clean_text, values, files)
            and not _wants_done(task, done)
        ):
            return existing, False
        if existing is not None and (existing.late or today > dispatch.due_on):
            raise Conflict("report_final", "已过报送截止日期，已报送的进度不能再修改")
        if existing is None:
            report = TaskReport.objects.create(
                task=task,
                dispatch=dispatch,
                text=clean_text,
                actuals=values,
                late=today > dispatch.due_on,
                submitted_by=actor,
                submitted_at=now,
            )
            late = "（逾期）" if report.late else ""
            audit.record_create(report, actor=actor, comment=f"报送进度：{dispatch.title}{late}")
        else:
            report = existing
            before = audit.snapshot(report)
            report.text, report.actuals = clean_text, values
            report.submitted_by, report.submitted_at = actor, now
            report.save()
            audit.record_update(report, before, actor=actor, comment=f"更正进度报告：{dispatch.title}")
        kept = {(a.name, a.size) for a in report.attachments.all()}
        for upload in files:
            if (upload.name[:200], upload.size) not in kept:
                store_upload(ReportAttachment(report=report), upload, actor=actor, comment="进度报告附件")
        _record_actuals(task, values, actor, now)
        _advance(task, done, actor)
    return report, True


def _record_actuals(task: Task, values: dict[str, str], actor: Any, now: dt.datetime) -> None:
    """A manual target's actual is the latest one its unit reported."""
    for target in task.targets.filter(pk__in=[int(k) for k in values], source=TargetSource.MANUAL):
        number = Decimal(values[str(target.pk)])
        if target.actual == number:
            continue
        before = audit.snapshot(target)
        target.actual, target.actual_at = number, now
        target.save(update_fields=["actual", "actual_at"])
        audit.record_update(target, before, actor=actor, comment="调度报送指标完成值")


def _wants_done(task: Task, done: bool) -> bool:
    return done and task.status in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


def _advance(task: Task, done: bool, actor: Any) -> None:
    task.refresh_from_db()
    if task.status == TaskStatus.ASSIGNED and not done:
        services.task_transition(task, "start", actor=actor, comment="调度报送进度")
    elif _wants_done(task, done):
        services.task_transition(task, "report_done", actor=actor, comment="调度报送：本任务已完成")


# ---- reminders -----------------------------------------------------------------------------------------------


def remind(dispatch: Dispatch, tasks: Sequence[Task], *, message: str, actor: Any) -> list[Reminder]:
    """催报: a reminder to the unit of each task that has not reported, each a Reminder row and an audit entry;
    the unit sees it in its to-do list."""
    _may_change(dispatch, actor)
    if dispatch.status != DispatchStatus.OPEN:
        raise Conflict("dispatch_closed", "本次调度已结束，不能再催报")
    errors: list[FieldError] = []
    text = inputs.text(message, "message", "催报内容", errors, max_length=300)
    if not tasks:
        errors.append(FieldError("tasks", "required", "请选择要催报的任务"))
    states = _states(dispatch)
    for task in tasks:
        if states.get(task.pk) != MISSING:
            errors.append(FieldError("tasks", "not_missing", f"任务“{task}”已报送或本次无需报送，不能催报"))
    if errors:
        raise ValidationFailed(errors)
    text = text or f"请于{dispatch.due_on:%Y-%m-%d}前报送{dispatch.title}进度"
    sent = []
    with transaction.atomic():
        for task in tasks:
            reminder = Reminder.objects.create(dispatch=dispatch, task=task, message=text, sent_by=actor)
            audit.record_create(reminder, actor=actor, comment=f"催报：{task.title}（{text}）")
            sent.append(reminder)
    return sent


# ---- figures ---------------------------------------------------------------------------------------------------

Unit = tuple[str, int | None]


def on_time(region_prefix: str, start: dt.date, end: dt.date) -> dict[Unit, dict[str, int]]:
    """Per unit (region code, department id or None) under `region_prefix`: the reports expected by the closed
    dispatches due from `start` to `end`, and how many came on time, late or not at all."""
    found: dict[Unit, dict[str, int]] = defaultdict(lambda: {"expected": 0, ON_TIME: 0, LATE: 0, MISSING: 0})
    closed = Dispatch.objects.filter(status=DispatchStatus.CLOSED, due_on__gte=start, due_on__lte=end)
    for dispatch in closed:
        frozen = _closing(dispatch) or {"expected": [], "late": [], "missing": []}
        late, missing = set(frozen["late"]), set(frozen["missing"])
        units = Task.objects.filter(within(region_prefix), pk__in=frozen["expected"]).values_list(
            "pk", "region_code", "department_id"
        )
        for pk, code, department in units:
            tally = found[(code, department)]
            tally["expected"] += 1
            tally[MISSING if pk in missing else LATE if pk in late else ON_TIME] += 1
    return dict(found)
