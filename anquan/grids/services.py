"""Patrol plans, task generation, check-in and visits (docs/adr/0031-patrol-tasks.md).

`generate` makes the running period's task of every active plan that has none yet (one per grid and period, the
unique constraint making a repeated or concurrent run harmless), listing the grid's venues and enterprises as
they are then; `mark_missed` turns an open task whose period has ended into a missed one, counting the targets
left unvisited; `refresh` does both for some grids, for the pages that read tasks (so a deployment without the
sweep still shows today's tasks and true missed counts). Periods are the control checks' (checks.services:
local days, weeks from Monday, calendar months)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.checks.services import period_for
from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, ValidationFailed
from anquan.core.models import AuditAction
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import AttachmentStage, Source
from anquan.hazards.services import LATITUDE, LONGITUDE, add_attachment, report_hazard
from anquan.regions.choices import GridLevel
from anquan.regions.models import Grid
from anquan.rules.models import RuleVersion
from anquan.rules.services import RuleMissing, in_force

from . import venue_link
from .choices import PatrolFrequency, PatrolStatus, TargetType
from .models import PatrolPlan, PatrolTask, PatrolVisit
from .rules import PATROL
from .workflow import PATROLS, can_patrol

ORDER = {PatrolFrequency.DAY: 0, PatrolFrequency.WEEK: 1, PatrolFrequency.MONTH: 2}
NOTE_MAX = 2000
PATROLLED_LEVELS = (GridLevel.TOWNSHIP, GridLevel.VILLAGE)


# --- plans -----------------------------------------------------------------------------------------


def targets_of(grid: Grid) -> list[dict[str, Any]]:
    """What a patrol of the grid visits: its small venues, then its enterprises (name order)."""
    enterprises = [
        {"type": "enterprise", "id": e.pk, "name": e.name, "kind": e.risk_level or "", "label": "企业"}
        for e in Enterprise.objects.filter(grid=grid).order_by("name", "pk")
    ]
    return venue_link.venues_of(grid) + enterprises


def rule_frequency(
    targets: Sequence[Mapping[str, Any]], on: dt.date, region_code: str
) -> tuple[str, RuleVersion | None]:
    """The most frequent patrol any target needs by the rule data (grids.patrol), else its default."""
    try:
        version = in_force(PATROL, on, region_code)
    except RuleMissing:
        return PatrolFrequency.MONTH, None
    values = version.values
    found = [values["default_frequency"]]
    for t in targets:
        table = values["venue_kinds"] if t["type"] == TargetType.VENUE else values["enterprise_risk"]
        if t.get("kind") in table:
            found.append(table[t["kind"]])
    return min(found, key=lambda f: ORDER.get(f, 9)), version


def save_plan(
    grid: Grid, raw: Mapping[str, Any], *, actor: Any, now: dt.datetime | None = None
) -> PatrolPlan:
    """raw: frequency ("" follows the rule data; day / week / month), active. Creates or changes the grid's plan
    (audited) and makes the running period's task at once."""
    errors: list[FieldError] = []
    frequency = str(raw.get("frequency") or "").strip()
    if frequency and frequency not in PatrolFrequency.values:
        errors.append(FieldError("frequency", "invalid_choice", "巡查频次须为每天、每周、每月或按规则"))
    if grid.level not in PATROLLED_LEVELS:
        errors.append(FieldError("grid", "not_patrolled", "企业内部网格单元不安排网格巡查"))
    if errors:
        raise ValidationFailed(errors)
    active = str(raw.get("active", "true")).lower() not in ("false", "0", "off", "")
    with transaction.atomic():
        plan = PatrolPlan.objects.select_for_update().filter(grid=grid).first()
        before = audit.snapshot(plan) if plan else None
        if plan is None:
            plan = PatrolPlan(grid=grid, created_by=actor)
        plan.frequency, plan.active = frequency, active
        plan.save()
        audit.record(
            AuditAction.UPDATE if before else AuditAction.CREATE,
            plan,
            actor=actor,
            before=before,
            after=audit.snapshot(plan),
            comment=f"网格{grid.code}巡查计划",
            region_code=grid.region_code,
        )
    generate(now, plans=PatrolPlan.objects.filter(pk=plan.pk), actor=actor)
    return plan


# --- generation and missed marking ---------------------------------------------------------------


def generate(
    now: dt.datetime | None = None, *, plans: QuerySet[PatrolPlan] | None = None, actor: Any = None
) -> list[PatrolTask]:
    """The running period's task of every active plan without one; audited (one entry per task)."""
    now = now or timezone.now()
    plans = (
        (plans if plans is not None else PatrolPlan.objects.all()).filter(active=True).select_related("grid")
    )
    made: list[PatrolTask] = []
    for plan in plans.order_by("pk"):
        grid = plan.grid
        if PatrolTask.objects.filter(grid=grid, period_start__lte=now, period_end__gt=now).exists():
            continue  # the running period has its task (read before the targets: most runs stop here)
        targets = targets_of(grid)
        frequency, version = rule_frequency(targets, timezone.localdate(now), grid.region_code)
        frequency = plan.frequency or frequency
        start, end = period_for(frequency, now)
        worker = grid.workers.order_by("pk").first()
        try:
            with transaction.atomic():
                task = PatrolTask.objects.create(
                    plan=plan,
                    grid=grid,
                    region_code=grid.region_code,
                    worker=worker,
                    frequency=frequency,
                    rule_version=None if plan.frequency else version,
                    period_start=start,
                    period_end=end,
                    targets=targets,
                )
                audit.record_create(task, actor=actor or "system", comment="生成网格巡查任务")
        except IntegrityError:  # a concurrent run made it
            continue
        made.append(task)
    return made


def mark_missed(now: dt.datetime | None = None, *, tasks: QuerySet[PatrolTask] | None = None) -> list[int]:
    """Open tasks whose period has ended become missed (the declared `mark_missed`), with the number of
    targets left unvisited."""
    now = now or timezone.now()
    ended = (tasks if tasks is not None else PatrolTask.objects.all()).filter(
        status=PatrolStatus.OPEN, period_end__lte=now
    )
    missed: list[int] = []
    for task in ended.order_by("pk")[:2000]:
        left = len(task.targets) - task.visits.count()
        changed = PATROLS.apply_many(
            [task],
            "mark_missed",
            changes={"missed_at": now, "missed_targets": max(left, 0)},
            comment="周期结束时未完成",
            now=now,
            audit_comment="网格巡查任务逾期未完成",
        )
        missed += [t.pk for t in changed]
    return missed


def take_in_new_targets(grids: QuerySet[Grid], now: dt.datetime) -> None:
    """A venue or enterprise that joined a grid while a period runs joins its open task: a grid worker who
    registers a venue patrols it the same day. Targets that left the grid stay (a visit may name them already)."""
    for task_id in PatrolTask.objects.filter(
        grid__in=grids, status=PatrolStatus.OPEN, period_start__lte=now, period_end__gt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            task = PatrolTask.objects.select_for_update().select_related("grid").get(pk=task_id)
            known = {(t["type"], int(t["id"])) for t in task.targets}
            new = [t for t in targets_of(task.grid) if (t["type"], int(t["id"])) not in known]
            if not new:
                continue
            task.targets = [*task.targets, *new]
            task.save(update_fields=["targets"])
            names = "、".join(str(t["name"]) for t in new)
            audit.record(
                AuditAction.UPDATE, task, actor="system", comment=f"网格新增场所、企业，纳入本期巡查：{names}"
            )


def refresh(grids: QuerySet[Grid], now: dt.datetime | None = None) -> None:
    """Mark the ended tasks of these grids missed, make their running periods' tasks and take new venues and
    enterprises into the open ones (idempotent)."""
    now = now or timezone.now()
    mark_missed(now, tasks=PatrolTask.objects.filter(grid__in=grids))
    generate(now, plans=PatrolPlan.objects.filter(grid__in=grids))
    take_in_new_targets(grids, now)


def run(now: dt.datetime | None = None) -> dict[str, list[int]]:
    """The sweep's step: every grid's ended tasks marked missed, then the running periods' tasks made."""
    now = now or timezone.now()
    missed = mark_missed(now)
    return {"missed": missed, "created": [t.pk for t in generate(now)]}


# --- check-in and visits ---------------------------------------------------------------------------


def _coordinates(raw: Mapping[str, Any], errors: list[FieldError]) -> dict[str, Decimal | None]:
    latitude = inputs.coordinate(raw.get("latitude"), "latitude", "纬度", errors, *LATITUDE)
    longitude = inputs.coordinate(raw.get("longitude"), "longitude", "经度", errors, *LONGITUDE)
    return {"latitude": latitude, "longitude": longitude}


def _running(task: PatrolTask, now: dt.datetime) -> None:
    if task.status == PatrolStatus.MISSED or (task.status == PatrolStatus.OPEN and now >= task.period_end):
        raise Conflict("missed", "该巡查任务的周期已结束，不能再补做")
    if task.status == PatrolStatus.DONE:
        raise Conflict("invalid_state", "该巡查任务已完成")
    if now < task.period_start:
        raise Conflict("not_started", "该巡查任务的周期尚未开始")


def check_in(
    task: PatrolTask, raw: Mapping[str, Any], *, actor: Any, now: dt.datetime | None = None
) -> PatrolTask:
    """签到: the time and, if the phone gave it, the location. A second check-in keeps the first."""
    now = now or timezone.now()
    errors: list[FieldError] = []
    where = _coordinates(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    PATROLS.check(task, "check_in", actor)
    _running(task, now)
    if task.checked_in_at:
        return task
    task, _event = PATROLS.apply(
        task,
        "check_in",
        actor=actor,
        changes={
            "checked_in_at": now,
            "checked_in_by": actor,
            "checkin_latitude": where["latitude"],
            "checkin_longitude": where["longitude"],
        },
        data={k: str(v) for k, v in where.items() if v is not None},
        now=now,
        audit_comment="网格巡查签到",
    )
    return task


def parse_target(value: Any) -> tuple[str, int]:
    """ "venue:12" / "enterprise:5" → (type, id); a field error otherwise."""
    kind, _, pk = str(value or "").partition(":")
    if kind not in TargetType.values or not pk.isdigit():
        raise ValidationFailed([FieldError("target", "invalid", "请选择本次巡查的场所或企业")])
    return kind, int(pk)


def _target_of(task: PatrolTask, kind: str, pk: int) -> dict[str, Any]:
    for target in task.targets:
        if target["type"] == kind and int(target["id"]) == pk:
            return target
    raise ValidationFailed([FieldError("target", "not_in_task", "该场所或企业不在本次巡查任务中")])


def _failed_items(
    raw: Mapping[str, Any], target: Mapping[str, Any], on: dt.date, region_code: str
) -> list[dict[str, Any]]:
    if target["type"] != TargetType.VENUE:
        return []
    failed = raw.get("failed") or []
    if isinstance(failed, str):
        failed = [failed]
    failed = {str(code) for code in failed}
    items = venue_link.checklist(str(target.get("kind") or ""), on, region_code)
    unknown = failed - {i.code for i in items}
    if unknown:
        raise ValidationFailed([FieldError("failed", "invalid_choice", "检查项不属于该类场所的检查表")])
    return [{"code": i.code, "text": i.text, "ok": i.code not in failed} for i in items]


@transaction.atomic
def record_visit(
    task: PatrolTask,
    raw: Mapping[str, Any],
    *,
    actor: Any,
    now: dt.datetime | None = None,
    photos: Sequence[UploadedFile] = (),
) -> PatrolVisit:
    """raw: target ("venue:<id>" | "enterprise:<id>"), outcome ("normal" | "hazard"), failed (checklist codes
    found wrong), description (required for a hazard), note, latitude / longitude. A hazard is reported with
    source grid_patrol (photos attached); a venue's last check is recorded (venues.services.record_check). The
    last target visited completes the task; a target is visited once per task (409 after)."""
    now = now or timezone.now()
    task = PatrolTask.objects.select_for_update(of=("self",)).select_related("grid").get(pk=task.pk)
    PATROLS.check(task, "complete", actor)  # 404 out of scope, 403 not the grid's worker
    _running(task, now)
    kind, pk = parse_target(raw.get("target"))
    target = _target_of(task, kind, pk)
    outcome = str(raw.get("outcome") or "")
    errors: list[FieldError] = []
    if outcome not in ("normal", "hazard"):
        errors.append(FieldError("outcome", "invalid_choice", "巡查结果须为“正常”或“发现隐患”"))
    note = inputs.text(raw.get("note"), "note", "备注", errors, max_length=NOTE_MAX)
    description = inputs.text(raw.get("description"), "description", "隐患描述", errors, max_length=NOTE_MAX)
    if outcome == "hazard" and not description and not any(e.field == "description" for e in errors):
        errors.append(FieldError("description", "required", "发现隐患须填写隐患描述"))
    where = _coordinates(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    items = _failed_items(raw, target, timezone.localdate(now), task.region_code)
    if PatrolVisit.objects.filter(task=task, target_type=kind, target_id=pk).exists():
        raise Conflict("already_visited", f"本次巡查已记录“{target['name']}”的结果")
    found = venue_link.venue(pk) if kind == TargetType.VENUE else Enterprise.objects.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed([FieldError("target", "gone", "该场所或企业已不存在")])
    hazard = None
    if outcome == "hazard":
        hazard = report_hazard(_hazard_raw(found, kind, description, where, now), actor=actor, now=now)
        for upload in photos:
            add_attachment(hazard, upload, stage=AttachmentStage.REPORT, actor=actor)
    visit = PatrolVisit.objects.create(
        task=task,
        target_type=kind,
        target_id=pk,
        name=target["name"],
        ok=outcome == "normal",
        items=items,
        note=note,
        hazard=hazard,
        visited_at=now,
        visited_by=actor,
        **where,
    )
    audit.record_create(visit, actor=actor, comment=f"网格巡查：{target['name']}")
    if kind == TargetType.VENUE:
        venue_link.record_check(found, on=timezone.localdate(now), ok=visit.ok, actor=actor, items=items)
    changes: dict[str, Any] = {}
    if not task.checked_in_at:  # the first visit checks in when the worker did not
        changes.update(checked_in_at=now, checked_in_by=actor)
    if task.visits.count() >= len(task.targets):
        PATROLS.apply(task, "complete", actor=actor, changes={**changes, "done_at": now}, now=now)
    elif changes:
        PatrolTask.objects.filter(pk=task.pk).update(**changes)
    return visit


def _hazard_raw(
    found: Any, kind: str, description: str, where: Mapping[str, Any], now: dt.datetime
) -> dict[str, Any]:
    located = {k: str(v) for k, v in where.items() if v is not None}
    base = {"source": Source.GRID_PATROL, "description": description, "found_at": now, **located}
    if kind == TargetType.ENTERPRISE:
        return {**base, "enterprise": found.uscc}
    address = f"{found.name}（{getattr(found, 'address', '')}）"[:300]
    return {**base, "region": found.region_code, "address": address}


def target_label(target: Mapping[str, Any]) -> str:
    """A target's kind as the reader's language says it (the venue's kind; an enterprise)."""
    if target["type"] == TargetType.VENUE:
        return venue_link.kind_label(str(target.get("kind") or ""))
    return "企业"


def task_targets(task: PatrolTask) -> list[dict[str, Any]]:
    """The task's targets, each with its visit (or None) and, for a venue, its checklist of the day."""
    visits = {(v.target_type, v.target_id): v for v in task.visits.select_related("hazard")}
    on = timezone.localdate()
    out = []
    for t in task.targets:
        item = dict(t)
        item["key"] = f"{t['type']}:{t['id']}"
        item["label"] = target_label(t)
        item["visit"] = visits.get((t["type"], int(t["id"])))
        item["checklist"] = (
            venue_link.checklist(str(t.get("kind") or ""), on, task.region_code)
            if t["type"] == TargetType.VENUE
            else []
        )
        out.append(item)
    return out


def may_patrol(actor: Any, task: PatrolTask) -> bool:
    """Whether the task's cards show 正常 / 发现隐患 to `actor`: an open task of the running period, the grid's worker."""
    now = timezone.now()
    return (
        task.status == PatrolStatus.OPEN
        and task.period_start <= now < task.period_end
        and can_patrol(actor, task)
    )
