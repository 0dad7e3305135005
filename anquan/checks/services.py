"""Control (self-check) tasks: each risk point is checked by a job post at a frequency (CheckSchedule);
`generate` makes the current period's task of every active schedule (idempotent: one task per
schedule and period), `mark_missed` turns an open task whose period has ended into a missed one,
`complete` records "all normal" or a reported hazard (source self_check, linked to the risk point),
and `missed_counts` counts missed tasks per enterprise or per risk point over a date range.
A schedule is changed by `update_schedule` and stopped / started again by the named actions
`deactivate_schedule` / `reactivate_schedule` (audited); `notify_missed` tells the enterprise (and,
past a threshold, its supervisors) about the tasks a sweep marked missed.

Periods are local (Asia/Shanghai) and half-open [start, end): shifts are 00–08, 08–16 and 16–24;
weeks start on Monday; quarters and half-years are calendar ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import get_in_scope, restrict
from anquan.hazards.choices import AttachmentStage, Source
from anquan.hazards.services import add_attachment, report_hazard
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskPoint

from .choices import CheckFrequency, TaskStatus
from .models import CheckSchedule, CheckTask
from .task_alerts import notify_missed
from .workflow import TASKS, can_complete

SHIFT_HOURS = 8
M = TypeVar("M", bound=Model)


def _local(day: dt.date, hour: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _month_start(year: int, month: int) -> dt.date:
    while month > 12:
        year, month = year + 1, month - 12
    return dt.date(year, month, 1)


PERIOD_MONTHS: dict[str, int] = {
    CheckFrequency.MONTH: 1,
    CheckFrequency.QUARTER: 3,
    CheckFrequency.HALF_YEAR: 6,
}


def period_for(frequency: str, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The local period [start, end) of `frequency` that holds `now`."""
    local = timezone.localtime(now)
    today = local.date()
    if frequency == CheckFrequency.SHIFT:
        hour = local.hour // SHIFT_HOURS * SHIFT_HOURS
        start = _local(today, hour)
        end = (
            _local(today, hour + SHIFT_HOURS)
            if hour + SHIFT_HOURS < 24
            else _local(today + dt.timedelta(days=1))
        )
        return start, end
    if frequency == CheckFrequency.DAY:
        return _local(today), _local(today + dt.timedelta(days=1))
    if frequency == CheckFrequency.WEEK:
        monday = today - dt.timedelta(days=today.weekday())
        return _local(monday), _local(monday + dt.timedelta(days=7))
    months = PERIOD_MONTHS.get(frequency)
    if months is None:
        raise ValueError(f"unknown frequency {frequency!r}")
    first = (today.month - 1) // months * months + 1
    return _local(_month_start(today.year, first)), _local(_month_start(today.year, first + months))


# --- schedules ------------------------------------------------------------------------------------


_POST = CheckSchedule._meta.get_field("post")
assert _POST.max_length is not None  # a bounded text column
POST_MAX = _POST.max_length
CONTENT_MAX = 2000  # what to check
NOTE_MAX = 2000  # a task's note, and the description of a hazard reported from it
COMMENT_MAX = 500  # why a schedule was stopped or started again (kept in the audit log)


def _limited(value: object, field: str, label: str, limit: int) -> str:
    """`value` trimmed; refused (never cut) past `limit` characters."""
    text = str(value or "").strip()
    if len(text) > limit:
        raise ValidationFailed([FieldError(field, "too_long", f"{label}不能超过{limit}个字")])
    return text


def _clean_schedule(raw: Mapping[str, Any], current: CheckSchedule | None = None) -> dict[str, str]:
    """frequency, post and content checked; with `current`, a key left out keeps the current value."""
    errors: list[FieldError] = []

    def value(key: str) -> str:
        if current is not None and key not in raw:
            return str(getattr(current, key))
        return str(raw.get(key) or "").strip()

    frequency = value("frequency")
    if frequency not in CheckFrequency.values:
        errors.append(
            FieldError("frequency", "invalid_choice", "检查频次须为每班、每天、每周、每月、每季度或每半年")
        )
    post = value("post")
    if not post:
        errors.append(FieldError("post", "required", "请填写检查岗位"))
    elif len(post) > POST_MAX:
        errors.append(FieldError("post", "too_long", f"检查岗位不能超过{POST_MAX}个字"))
    content = value("content")
    if not content:
        errors.append(FieldError("content", "required", "请填写检查内容"))
    elif len(content) > CONTENT_MAX:
        errors.append(FieldError("content", "too_long", f"检查内容不能超过{CONTENT_MAX}个字"))
    if errors:
        raise ValidationFailed(errors)
    return {"frequency": frequency, "post": post, "content": content}


def _require_writer(actor: User, point: RiskPoint) -> None:
    if not points.can_write(actor, point.enterprise):
        raise NotPermitted("您无权为该风险点安排管控检查")


@transaction.atomic
def add_schedule(
    point: RiskPoint, raw: Mapping[str, Any], *, actor: User, now: dt.datetime | None = None
) -> CheckSchedule:
    """raw: frequency, post, content. Those who may record the point's risk information may schedule
    its checks; the current period's task is made at once."""
    fields = _clean_schedule(raw)
    _require_writer(actor, point)
    schedule = CheckSchedule.objects.create(point=point, created_by=actor, **fields)
    audit.record(
        AuditAction.CREATE,
        schedule,
        actor=actor,
        after=audit.snapshot(schedule),
        comment=f"风险点#{point.pk}",
        region_code=point.region_code,
    )
    generate(now, schedules=CheckSchedule.objects.filter(pk=schedule.pk), actor=actor)
    return schedule


def _locked(schedule: CheckSchedule) -> CheckSchedule:
    return CheckSchedule.objects.select_for_update().select_related("point__enterprise").get(pk=schedule.pk)


@transaction.atomic
def update_schedule(
    schedule: CheckSchedule, raw: Mapping[str, Any], *, actor: User, now: dt.datetime | None = None
) -> CheckSchedule:
    """Change frequency, post and/or content (keys left out stay). The change applies from now on:
    tasks already made keep their periods (an open one of the running period stays due), and an
    active schedule whose frequency changed gets the new frequency's current period task at once."""
    schedule = _locked(schedule)
    fields = _clean_schedule(raw, current=schedule)
    _require_writer(actor, schedule.point)
    before = audit.snapshot(schedule)
    for key, value in fields.items():
        setattr(schedule, key, value)
    schedule.save(update_fields=list(fields))
    audit.record(
        AuditAction.UPDATE,
        schedule,
        actor=actor,
        before=before,
        after=audit.snapshot(schedule),
        comment=f"风险点#{schedule.point_id}",
        region_code=schedule.point.region_code,
    )
    if schedule.active and before["frequency"] != schedule.frequency:
        generate(now, schedules=CheckSchedule.objects.filter(pk=schedule.pk), actor=actor)
    return schedule


def _switch(schedule: CheckSchedule, active: bool, *, actor: User, comment: str) -> CheckSchedule:
    comment = _limited(comment, "comment", "说明", COMMENT_MAX)
    schedule = _locked(schedule)
    _require_writer(actor, schedule.point)
    if schedule.active == active:
        raise Conflict("invalid_state", "该排查计划已在使用中" if active else "该排查计划已停用")
    before = audit.snapshot(schedule)
    # compare-and-set on the old value: two clicks from two devices change it once
    if not CheckSchedule.objects.filter(pk=schedule.pk, active=not active).update(active=active):
        raise Conflict("invalid_state", "该排查计划的状态已被他人修改，请刷新后重试")
    schedule.active = active
    audit.record(
        AuditAction.TRANSITION,
        schedule,
        actor=actor,
        before=before,
        after=audit.snapshot(schedule),
        comment=comment or ("重新启用排查计划" if active else "停用排查计划"),
        region_code=schedule.point.region_code,
    )
    return schedule


@transaction.atomic
def deactivate_schedule(schedule: CheckSchedule, *, actor: User, comment: str = "") -> CheckSchedule:
    """Stop the schedule: `generate` makes no new tasks for it; its past tasks stay as they are.

    An open task of the running period is left open, not cancelled: the check was already due when
    the schedule was stopped, so it can still be done until the period ends and is counted as missed
    otherwise. Cancelling it would let a schedule stopped before a period's end (and started again
    after) erase a check that was owed, and with it the missed count supervisors rely on."""
    return _switch(schedule, False, actor=actor, comment=comment)


@transaction.atomic
def reactivate_schedule(
    schedule: CheckSchedule, *, actor: User, comment: str = "", now: dt.datetime | None = None
) -> CheckSchedule:
    """Start a stopped schedule again; its current period's task is made at once (unless the period
    already has one, e.g. the task left open when it was stopped)."""
    schedule = _switch(schedule, True, actor=actor, comment=comment)
    generate(now, schedules=CheckSchedule.objects.filter(pk=schedule.pk), actor=actor)
    return schedule


# --- generation and missed marking (run by the sweep) ----------------------------------------------

BATCH = 500  # schedules or tasks per short transaction of the sweep


@dataclass
class TaskRun:
    created: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    notified: dict[str, list[int]] = field(
        default_factory=dict
    )  # task_alerts.notify_missed: enterprises notified


def _batches(queryset: QuerySet[M], size: int | None = None) -> Iterator[list[M]]:
    """`queryset` in primary-key order, BATCH rows at a time, each batch read afresh (keyset paging)."""
    size = size or BATCH
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last).order_by("pk")[:size])
        if batch:
            yield batch
        if len(batch) < size:
            return
        last = batch[-1].pk


def generate(
    now: dt.datetime | None = None,
    *,
    schedules: QuerySet[CheckSchedule] | None = None,
    actor: User | None = None,
) -> list[CheckTask]:
    """The current period's task of every active schedule that has none yet, a batch of schedules per
    short transaction; the tasks made are audited (one entry each, written per batch)."""
    now = now or timezone.now()
    schedules = (
        (schedules if schedules is not None else CheckSchedule.objects.all())
        .filter(active=True)
        .select_related("point")
    )
    created: list[CheckTask] = []
    for batch in _batches(schedules):
        have = set(  # tasks of the running periods, read at once so a repeated run tries no schedule
            CheckTask.objects.filter(
                schedule_id__in=[s.pk for s in batch], period_start__lte=now, period_end__gt=now
            ).values_list("schedule_id", "period_start")
        )
        todo = [(s, *period_for(s.frequency, now)) for s in batch]
        todo = [(s, start, end) for s, start, end in todo if (s.pk, start) not in have]
        if not todo:
            continue
        made: list[CheckTask] = []
        with transaction.atomic():
            for schedule, start, end in todo:
                point = schedule.point
                task, new = CheckTask.objects.get_or_create(
                    schedule=schedule,
                    period_start=start,
                    defaults={
                        "period_end": end,
                        "point": point,
                        "enterprise_id": point.enterprise_id,
                        "region_code": point.region_code,
                        "supervising_department_id": point.supervising_department_id,
                    },
                )
                if new:
                    made.append(task)
            if made:
                audit.record_many(AuditAction.CREATE, made, actor=actor, comment="生成管控检查任务")
        created += made
    return created


def mark_missed(now: dt.datetime | None = None) -> list[int]:
    """Open tasks whose period has ended become missed (the declared `mark_missed`), a batch per short
    transaction: each with its event row and audit entry. A task its enterprise completed meanwhile is
    left as done (the compare-and-set on the open status)."""
    now = now or timezone.now()
    ended = CheckTask.objects.filter(status=TaskStatus.OPEN, period_end__lte=now)
    missed: list[int] = []
    for batch in _batches(ended):
        changed = TASKS.apply_many(
            batch,
            "mark_missed",
            changes={"missed_at": now},
            comment="周期结束时未完成",
            now=now,
            audit_comment="管控检查任务逾期未完成",
        )
        missed += [t.pk for t in changed]
    return missed


def run(now: dt.datetime | None = None) -> TaskRun:
    """Mark the ended periods' open tasks missed (and notify about them), then make the current
    periods' tasks. Called by the sweep outside any transaction: each batch commits on its own, so a
    province-scale run never holds a lock for long."""
    now = now or timezone.now()
    result = TaskRun()
    result.missed = mark_missed(now)
    result.notified = notify_missed(result.missed, now)
    result.created = [t.pk for t in generate(now)]
    return result


# --- completion ----------------------------------------------------------------------------------


OUTCOMES = {"normal": "done_normal", "hazard": "done_hazard"}


@transaction.atomic
def complete(
    task: CheckTask,
    raw: Mapping[str, Any],
    *,
    actor: User,
    now: dt.datetime | None = None,
    photos: Sequence[UploadedFile] = (),
) -> CheckTask:
    """raw: outcome ("normal" | "hazard"), description (required for a hazard), latitude / longitude (where
    the hazard was found, optional), note; `photos` (checked uploads) go with the hazard. Only the
    enterprise's own managers, only while the task is open and its period runs: the declared
    `done_normal` / `done_hazard`, written with its event row."""
    now = now or timezone.now()
    outcome = str(raw.get("outcome") or "")
    if outcome not in OUTCOMES:
        raise ValidationFailed([FieldError("outcome", "invalid_choice", "检查结果须为“正常”或“报告隐患”")])
    action = OUTCOMES[outcome]
    note = _limited(raw.get("note"), "note", "备注", NOTE_MAX)
    task = CheckTask.objects.select_related("point", "enterprise").get(pk=task.pk)
    if task.status == TaskStatus.MISSED and can_complete(actor, task):
        raise Conflict("missed", "该检查任务已逾期未完成，不能再补做")
    if task.status in (TaskStatus.DONE_NORMAL, TaskStatus.DONE_HAZARD) and can_complete(actor, task):
        raise Conflict("invalid_state", "该检查任务已完成")
    TASKS.check(task, action, actor)  # 404 out of scope, 409 not open, 403 not the enterprise's own
    if now >= task.period_end:
        raise Conflict("missed", "该检查任务的周期已结束，不能再完成")
    if now < task.period_start:
        raise Conflict("not_started", "该检查任务的周期尚未开始")
    changes: dict[str, Any] = {"done_by": actor, "done_at": now, "note": note}
    data: dict[str, Any] = {"outcome": outcome}
    if outcome == "hazard":
        description = _limited(raw.get("description"), "description", "隐患描述", NOTE_MAX)
        if not description:
            raise ValidationFailed([FieldError("description", "required", "报告隐患须填写隐患描述")])
        where = {k: raw[k] for k in ("latitude", "longitude") if str(raw.get(k) or "").strip()}
        hazard = report_hazard(
            {
                "enterprise": task.enterprise.uscc,
                "source": Source.SELF_CHECK,
                "description": description,
                "risk_point": task.point_id,
                "found_at": now,
                **where,
            },
            actor=actor,
            now=now,
        )
        for upload in photos:
            add_attachment(hazard, upload, stage=AttachmentStage.REPORT, actor=actor)
        changes["hazard"] = hazard
        data["hazard"] = hazard.pk
    task, _event = TASKS.apply(
        task,
        action,
        actor=actor,
        changes=changes,
        comment=note,
        data=data,
        now=now,
        audit_comment=f"风险点#{task.point_id}管控检查",
    )
    return task


# --- counting ------------------------------------------------------------------------------------


def in_range(date_from: dt.date, date_to: dt.date) -> Q:
    """Tasks whose period starts on a local day in [date_from, date_to]."""
    return Q(period_start__gte=_local(date_from), period_start__lt=_local(date_to + dt.timedelta(days=1)))


def missed_counts(
    queryset: QuerySet[CheckTask], date_from: dt.date, date_to: dt.date, *, by: str = "enterprise"
) -> list[dict[str, Any]]:
    """Per enterprise (by="enterprise") or per risk point (by="point"): tasks, done and missed counts
    of the (already scoped) task queryset over the local days [date_from, date_to], most missed first."""
    if by == "enterprise":
        keys = ["enterprise_id", "enterprise__name"]
    elif by == "point":
        keys = ["point_id", "point__name", "enterprise__name"]
    else:
        raise ValueError(f"unknown grouping {by!r}")
    return list(
        queryset.filter(in_range(date_from, date_to))
        .values(*keys)
        .annotate(
            total=Count("id"),
            missed=Count("id", filter=Q(status=TaskStatus.MISSED)),
            done=Count("id", filter=Q(status__in=[TaskStatus.DONE_NORMAL, TaskStatus.DONE_HAZARD])),
        )
        .order_by("-missed", keys[1])
    )


def schedule_in_scope(user: User, pk: int) -> CheckSchedule:
    """A schedule whose risk point the user may see (else 404)."""
    return get_in_scope(CheckSchedule.objects.select_related("point__enterprise"), user, pk=pk)


def complete_all_normal(user: User, pks: Sequence[int], *, now: dt.datetime | None = None) -> int:
    """ "全部正常": the listed tasks (those the page showed) that are still open and the user's to complete,
    each recorded as all normal in its own transaction; a task done meanwhile (another device, a colleague)
    or whose period ended is left as it is. Returns how many were recorded."""
    done = 0
    for task in restrict(CheckTask, user).filter(pk__in=list(pks), status=TaskStatus.OPEN).order_by("pk"):
        if not can_complete(user, task):
            continue
        try:
            complete(task, {"outcome": "normal"}, actor=user, now=now)
        except Conflict:
            continue
        done += 1
    return done
