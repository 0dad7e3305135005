"""Campaigns, their stages and battles, and their task lists (docs/adr: campaigns).

- `create_campaign` / `update_campaign` / `set_stages` / `set_battles`: an office's campaign of its region.
- `create_task`: one line of the task list with its units (as written and as recognised) and targets, fanned out
  into one sub-task per responsible unit (`fan_out`): a department → that department's office of the campaign's
  region; a region → that region's government; `child_regions` → one per child region of the unit's region (the
  campaign's when none is named: 各县(市、区), 各乡镇); `members` → one per member department of the campaign
  region's safety committee (市直有关部门); an unrecognised unit → none until a person maps it (`remap_unit`).
  Units that organise (组织) get no sub-task: the office that organises oversees the line.
- `adopt_task`: a lower campaign takes over a higher one's task (`adopted_from`) and breaks it down to its units.
- the task workflow (`task_transition`) lives in workflow.py and is re-exported here.
Every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.orgs.models import Department, SafetyCommittee
from anquan.regions.models import Region

from .choices import CampaignStatus, TargetSource, TaskStatus, UnitKind, UnitRole
from .models import OFFICES, Battle, Campaign, Stage, Target, Task, TaskUnit
from .workflow import campaign_transition, is_campaign_office, roll_up, task_transition

__all__ = [
    "adopt_task",
    "campaign_transition",
    "create_campaign",
    "create_task",
    "fan_out",
    "remap_unit",
    "set_battles",
    "set_stages",
    "task_transition",
    "update_campaign",
]

NO_SUBTASK_ROLES = (UnitRole.ORGANISE,)
MAX_TASKS = 2000


def may_manage(user: Any, campaign: Campaign) -> bool:
    """The office of the campaign's region edits it and its task list."""
    return is_campaign_office(user, campaign)


def _require_manager(user: Any, campaign: Campaign) -> None:
    if not may_manage(user, campaign):
        raise NotPermitted("只有本级安委办可以编辑专项整治及其任务清单")


# ---- campaigns ----------------------------------------------------------------------------------


def campaign_fields(raw: Mapping[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Checked campaign fields from a form or JSON (field-level 422)."""
    errors: list[FieldError] = []
    out: dict[str, Any] = {}

    def given(name: str) -> bool:
        return not partial or name in raw

    if given("name"):
        out["name"] = inputs.text(raw.get("name"), "name", "名称", errors, max_length=200, required=True)
    for name, label, size in (
        ("short_name", "简称", 60),
        ("document_number", "文号", 60),
        ("description", "说明", inputs.LONG_TEXT),
    ):
        if given(name):
            out[name] = inputs.text(raw.get(name), name, label, errors, max_length=size)
    for name, label in (("starts_on", "开始日期"), ("ends_on", "结束日期")):
        if given(name):
            value = inputs.day(raw.get(name), name, label, errors)
            if value is None and not any(e.field == name for e in errors):
                errors.append(FieldError(name, "required", f"{label}不能为空"))
            out[name] = value
    if out.get("starts_on") and out.get("ends_on") and out["ends_on"] < out["starts_on"]:
        errors.append(FieldError("ends_on", "before_start", "结束日期不能早于开始日期"))
    if errors:
        raise ValidationFailed(errors)
    return out


def create_campaign(
    *, region: Region, raw: Mapping[str, Any], actor: Any, parent: Campaign | None = None
) -> Campaign:
    """A draft campaign of `region`'s office (the actor must be it). `parent`: the higher campaign it adopts from."""
    fields = campaign_fields(raw)
    if actor is not None and not (
        getattr(actor, "role", None) in OFFICES
        and actor.department_id is None
        and actor.region_id == region.pk
    ):
        raise NotPermitted("只有安委办可以为本级创建专项整治")
    if parent is not None and not region.code.startswith(parent.region.prefix):
        raise ValidationFailed([FieldError("parent", "invalid", "只能承接上级地区的专项整治")])
    with transaction.atomic():
        campaign = Campaign(
            region=region, parent=parent, created_by=actor if getattr(actor, "pk", None) else None, **fields
        )
        campaign.save()
        audit.record(AuditAction.CREATE, campaign, actor=actor, after=audit.snapshot(campaign))
    return campaign


def update_campaign(campaign: Campaign, raw: Mapping[str, Any], *, actor: Any) -> Campaign:
    _require_manager(actor, campaign)
    fields = campaign_fields(raw, partial=True)
    starts, ends = fields.get("starts_on", campaign.starts_on), fields.get("ends_on", campaign.ends_on)
    if ends < starts:
        raise ValidationFailed([FieldError("ends_on", "before_start", "结束日期不能早于开始日期")])
    with transaction.atomic():
        before = audit.snapshot(campaign)
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save()
        audit.record(AuditAction.UPDATE, campaign, actor=actor, before=before, after=audit.snapshot(campaign))
    return campaign


def _rows(items: Any, field: str) -> list[Mapping[str, Any]]:
    if not isinstance(items, list | tuple) or not all(isinstance(i, Mapping) for i in items):
        raise ValidationFailed([FieldError(field, "invalid", "格式不正确")])
    if len(items) > 50:
        raise ValidationFailed([FieldError(field, "too_many", "最多50项")])
    return list(items)


def set_stages(campaign: Campaign, stages: Sequence[Mapping[str, Any]], *, actor: Any) -> list[Stage]:
    """Replace the campaign's stages by `stages` ([{"name", "starts_on", "ends_on"}], in order); a stage kept by
    name keeps its tasks."""
    _require_manager(actor, campaign)
    errors: list[FieldError] = []
    parsed = []
    for i, raw in enumerate(_rows(stages, "stages")):
        name = inputs.text(
            raw.get("name"), f"stages.{i}.name", "阶段名称", errors, max_length=100, required=True
        )
        starts = inputs.day(raw.get("starts_on"), f"stages.{i}.starts_on", "阶段开始日期", errors)
        ends = inputs.day(raw.get("ends_on"), f"stages.{i}.ends_on", "阶段结束日期", errors)
        for value, key, label in ((starts, "starts_on", "阶段开始日期"), (ends, "ends_on", "阶段结束日期")):
            if value is None and not any(e.field == f"stages.{i}.{key}" for e in errors):
                errors.append(FieldError(f"stages.{i}.{key}", "required", f"{label}不能为空"))
        if starts and ends and ends < starts:
            errors.append(FieldError(f"stages.{i}.ends_on", "before_start", "阶段结束日期不能早于开始日期"))
        parsed.append((name, starts, ends))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        old = {s.name: s for s in campaign.stages.all()}
        kept = []
        for order, (name, starts, ends) in enumerate(parsed):
            stage = old.pop(name, None) or Stage(campaign=campaign, name=name)
            before = audit.snapshot(stage) if stage.pk else None
            stage.starts_on, stage.ends_on, stage.order = starts, ends, order
            stage.save()
            action = AuditAction.UPDATE if before else AuditAction.CREATE
            audit.record(action, stage, actor=actor, before=before, after=audit.snapshot(stage))
            kept.append(stage)
        for stage in old.values():
            audit.record(AuditAction.DELETE, stage, actor=actor, before=audit.snapshot(stage))
            stage.delete()
    return kept


def set_battles(campaign: Campaign, battles: Sequence[Mapping[str, Any]], *, actor: Any) -> list[Battle]:
    """Replace the campaign's battles or sections ([{"number", "name", "lead_text"}], in order); a battle kept by
    name keeps its tasks."""
    _require_manager(actor, campaign)
    errors: list[FieldError] = []
    parsed = []
    for i, raw in enumerate(_rows(battles, "battles")):
        number = inputs.text(raw.get("number"), f"battles.{i}.number", "序号", errors, max_length=20)
        name = inputs.text(
            raw.get("name"), f"battles.{i}.name", "攻坚战名称", errors, max_length=200, required=True
        )
        lead = inputs.text(raw.get("lead_text"), f"battles.{i}.lead_text", "牵头单位", errors, max_length=200)
        parsed.append((number, name, lead))
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        old = {b.name: b for b in campaign.battles.all()}
        kept = []
        for order, (number, name, lead) in enumerate(parsed):
            battle = old.pop(name, None) or Battle(campaign=campaign, name=name)
            before = audit.snapshot(battle) if battle.pk else None
            battle.number, battle.lead_text, battle.order = number, lead, order
            battle.save()
            action = AuditAction.UPDATE if before else AuditAction.CREATE
            audit.record(action, battle, actor=actor, before=before, after=audit.snapshot(battle))
            kept.append(battle)
        for battle in old.values():
            audit.record(AuditAction.DELETE, battle, actor=actor, before=audit.snapshot(battle))
            battle.delete()
    return kept


# ---- tasks -------------------------------------------------------------------------------------------


def _label(region: Region, department: Department | None) -> str:
    return f"{region.name}{department.name}" if department else f"{region.name}人民政府"


def responsible(
    campaign: Campaign, unit: TaskUnit | Mapping[str, Any]
) -> list[tuple[Region, Department | None]]:
    """The (region, department) pairs a unit stands for (the fan-out rule in this module's docstring)."""
    get = unit.get if isinstance(unit, Mapping) else lambda k, d=None: getattr(unit, k, d)
    kind, role = get("kind"), get("role")
    region, department = get("region"), get("department")
    if role in NO_SUBTASK_ROLES:
        return []
    if kind == UnitKind.DEPARTMENT and department is not None:
        return [(region or campaign.region, department)]
    if kind == UnitKind.REGION and region is not None:
        return [(region, None)]
    if kind == UnitKind.CHILD_REGIONS:
        return [
            (child, None)
            for child in Region.objects.filter(parent=region or campaign.region).order_by("code")
        ]
    if kind == UnitKind.MEMBER_DEPARTMENTS:
        committee = SafetyCommittee.objects.filter(region=campaign.region).first()
        if committee is None:
            return []
        return [(campaign.region, d) for d in committee.members.order_by("order", "id")]
    return []


def fan_out(line: Task, *, actor: Any) -> list[Task]:
    """Make the missing sub-tasks of `line`, one per responsible unit of its units (audited). Returns those made."""
    campaign = line.campaign
    existing = set(Task.objects.filter(parent=line).values_list("region_id", "department_id"))
    made: list[Task] = []
    for unit in line.units.select_related("region", "department"):
        for region, department in responsible(campaign, unit):
            key = (region.pk, department.pk if department else None)
            if key in existing:
                continue
            existing.add(key)
            sub = Task(
                campaign=campaign,
                battle=line.battle,
                stage=line.stage,
                parent=line,
                number=line.number,
                title=line.title,
                region=region,
                department=department,
                unit_label=_label(region, department),
                deadline=line.deadline,
                order=line.order,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            sub.save()
            made.append(sub)
    if made:
        audit.record_many(AuditAction.CREATE, made, actor=actor, comment=f"任务{line.number}分解到责任单位")
        roll_up(line)
    return made


def _unit_rows(units: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    errors: list[FieldError] = []
    rows = []
    for i, unit in enumerate(units):
        role, kind = unit.get("role"), unit.get("kind")
        text = str(unit.get("text") or "").strip()
        if role not in UnitRole.values:
            errors.append(
                FieldError(f"units.{i}.role", "invalid_choice", "单位职责应为：" + "、".join(UnitRole.values))
            )
        if kind not in UnitKind.values:
            errors.append(
                FieldError(f"units.{i}.kind", "invalid_choice", "单位类别应为：" + "、".join(UnitKind.values))
            )
        if not text or len(text) > 200:
            errors.append(FieldError(f"units.{i}.text", "required", "请填写单位名称（不超过200字）"))
        region, department = unit.get("region"), unit.get("department")
        if kind == UnitKind.DEPARTMENT and department is None:
            errors.append(FieldError(f"units.{i}.department", "required", "请选择部门"))
        if kind == UnitKind.REGION and region is None:
            errors.append(FieldError(f"units.{i}.region", "required", "请选择地区"))
        rows.append({"role": role, "text": text, "kind": kind, "region": region, "department": department})
    if errors:
        raise ValidationFailed(errors)
    return rows


def _check_regions(campaign: Campaign, units: list[dict[str, Any]]) -> None:
    errors = [
        FieldError(f"units.{i}.region", "out_of_region", "单位所在地区应在本专项整治的地区内")
        for i, unit in enumerate(units)
        if unit["region"] is not None and not unit["region"].code.startswith(campaign.region.prefix)
    ]
    if errors:
        raise ValidationFailed(errors)


def _target_rows(targets: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    from .metrics import METRICS

    errors: list[FieldError] = []
    rows = []
    for i, raw in enumerate(targets):
        name = inputs.text(
            raw.get("name"), f"targets.{i}.name", "目标名称", errors, max_length=200, required=True
        )
        unit = inputs.text(raw.get("unit"), f"targets.{i}.unit", "计量单位", errors, max_length=20)
        planned = inputs._decimal(raw.get("planned"), f"targets.{i}.planned", "目标值", errors)
        if planned is None and not any(e.field == f"targets.{i}.planned" for e in errors):
            errors.append(FieldError(f"targets.{i}.planned", "required", "目标值不能为空"))
        elif planned is not None and abs(planned) >= Decimal(10) ** 12:
            errors.append(FieldError(f"targets.{i}.planned", "out_of_range", "目标值过大"))
        source = raw.get("source") or TargetSource.MANUAL
        metric = str(raw.get("metric") or "").strip()
        if source not in TargetSource.values:
            errors.append(
                FieldError(f"targets.{i}.source", "invalid_choice", "取数方式应为：manual、automatic")
            )
        elif source == TargetSource.AUTOMATIC and metric not in METRICS:
            errors.append(
                FieldError(f"targets.{i}.metric", "invalid_choice", "系统取数指标应为：" + "、".join(METRICS))
            )
        rows.append(
            {
                "name": name,
                "unit": unit,
                "planned": planned,
                "source": source,
                "metric": metric if source == TargetSource.AUTOMATIC else "",
            }
        )
    if errors:
        raise ValidationFailed(errors)
    return rows


def create_task(
    campaign: Campaign,
    *,
    number: str,
    title: str,
    content: str = "",
    battle: Battle | None = None,
    units: list[dict[str, Any]],
    deadline: dt.date | None = None,
    targets: Sequence[Mapping[str, Any]] = (),
    actor: Any,
    stage: Stage | None = None,
    adopted_from: Task | None = None,
) -> Task:
    """One line of `campaign`'s task list with its units and targets, fanned out into sub-tasks (audited).
    `actor` must be the campaign's office (None: the system, imports run by a command, the demo)."""
    if actor is not None:
        _require_manager(actor, campaign)
    if campaign.status == CampaignStatus.CLOSED:
        raise Conflict("campaign_closed", "该专项整治已结束，不能再添加任务")
    errors: list[FieldError] = []
    number = inputs.text(number, "number", "任务序号", errors, max_length=20, required=True)
    title = inputs.text(title, "title", "任务名称", errors, max_length=300, required=True)
    content = inputs.text(content, "content", "任务内容", errors, max_length=inputs.LONG_TEXT)
    if battle is not None and battle.campaign_id != campaign.pk:
        errors.append(FieldError("battle", "invalid", "攻坚战不属于该专项整治"))
    if stage is not None and stage.campaign_id != campaign.pk:
        errors.append(FieldError("stage", "invalid", "阶段不属于该专项整治"))
    if errors:
        raise ValidationFailed(errors)
    unit_rows = _unit_rows(units)
    _check_regions(campaign, unit_rows)
    target_rows = _target_rows(targets)
    lead = next(
        (u for u in unit_rows if u["role"] == UnitRole.LEAD and u["kind"] == UnitKind.DEPARTMENT), None
    )
    label = "、".join(u["text"] for u in unit_rows if u["role"] == UnitRole.LEAD) or (
        unit_rows[0]["text"] if unit_rows else ""
    )
    with transaction.atomic():
        if Task.objects.filter(campaign=campaign, parent=None).count() >= MAX_TASKS:
            raise Conflict("too_many_tasks", f"一个专项整治最多{MAX_TASKS}项任务")
        line = Task(
            campaign=campaign,
            battle=battle,
            stage=stage,
            adopted_from=adopted_from,
            number=number,
            title=title,
            content=content,
            region=campaign.region,
            department=lead["department"] if lead else None,
            unit_label=label[:200],
            deadline=deadline,
            order=Task.objects.filter(campaign=campaign, parent=None).count() + 1,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        line.save()
        audit.record(AuditAction.CREATE, line, actor=actor, after=audit.snapshot(line))
        made_units = [TaskUnit(task=line, order=i, **u) for i, u in enumerate(unit_rows)]
        TaskUnit.objects.bulk_create(made_units)
        made_targets = [Target(task=line, order=i, **t) for i, t in enumerate(target_rows)]
        Target.objects.bulk_create(made_targets)
        audit.record_many(AuditAction.CREATE, list(line.units.all()) + list(line.targets.all()), actor=actor)
        fan_out(line, actor=actor)
    return line


def remap_unit(
    task_unit: TaskUnit, *, kind: str, region: Region | None, department: Department | None, actor: Any
) -> Task:
    """A person says what a flagged (or wrongly recognised) unit is: the unit is changed (audited) and its line
    gains the sub-tasks it now stands for. Sub-tasks already made stay (they may carry reports)."""
    line = task_unit.task
    if line.parent_id:
        raise ValidationFailed([FieldError("unit", "invalid", "只能调整任务清单中的单位")])
    if actor is not None:
        _require_manager(actor, line.campaign)
    rows = _unit_rows(
        [
            {
                "role": task_unit.role,
                "text": task_unit.text,
                "kind": kind,
                "region": region,
                "department": department,
            }
        ]
    )
    _check_regions(line.campaign, rows)
    with transaction.atomic():
        before = audit.snapshot(task_unit)
        task_unit.kind, task_unit.region, task_unit.department = kind, region, department
        task_unit.save()
        audit.record(
            AuditAction.UPDATE,
            task_unit,
            actor=actor,
            before=before,
            after=audit.snapshot(task_unit),
            comment="确认单位",
        )
        if task_unit.role == UnitRole.LEAD and kind == UnitKind.DEPARTMENT and line.department_id is None:
            before = audit.snapshot(line)
            line.department = department
            line.save()
            audit.record(AuditAction.UPDATE, line, actor=actor, before=before, after=audit.snapshot(line))
        fan_out(line, actor=actor)
    return line


def adopt_task(
    source: Task,
    campaign: Campaign,
    *,
    units: list[dict[str, Any]],
    actor: Any,
    number: str = "",
    deadline: dt.date | None = None,
    battle: Battle | None = None,
) -> Task:
    """`campaign` (a lower region's) takes over `source`, a task of a higher campaign, as its own line
    (`adopted_from`, its title, content and targets copied) and breaks it down to `units`."""
    if source.parent_id:
        source = source.parent  # type: ignore[assignment]
    if source.campaign.region_id == campaign.region_id or not campaign.region.code.startswith(
        source.campaign.region.prefix
    ):
        raise ValidationFailed([FieldError("source", "invalid", "只能承接上级专项整治的任务")])
    if Task.objects.filter(campaign=campaign, adopted_from=source).exists():
        raise Conflict("already_adopted", "该任务已承接")
    if battle is None and source.battle_id:
        battle = Battle.objects.filter(campaign=campaign, name=source.battle.name).first()  # type: ignore[union-attr]
    targets = [
        {"name": t.name, "unit": t.unit, "planned": t.planned, "source": t.source, "metric": t.metric}
        for t in source.targets.all()
    ]
    return create_task(
        campaign,
        number=number or source.number,
        title=source.title,
        content=source.content,
        battle=battle,
        units=units,
        deadline=deadline or source.deadline,
        targets=targets,
        actor=actor,
        adopted_from=source,
    )


def open_subtasks(campaign: Campaign) -> Iterable[Task]:
    """The tasks units act on: sub-tasks, and lines without any."""
    return (
        Task.objects.filter(campaign=campaign)
        .exclude(subtasks__isnull=False)
        .exclude(status=TaskStatus.VERIFIED_DONE)
    )


def today() -> dt.date:
    return timezone.localdate()


def resolve_units(raw_units: Any) -> list[dict[str, Any]]:
    """Units from a form or JSON (`region`: a region code, `department`: a department's code or name) as the
    objects `create_task` takes (field-level 422 for codes that name nothing)."""
    if not isinstance(raw_units, list | tuple) or not all(isinstance(u, Mapping) for u in raw_units):
        raise ValidationFailed([FieldError("units", "invalid", "单位格式不正确")])
    if len(raw_units) > 50:
        raise ValidationFailed([FieldError("units", "too_many", "最多50个单位")])
    errors: list[FieldError] = []
    out = []
    for i, raw in enumerate(raw_units):
        region = department = None
        code = str(raw.get("region") or "").strip()
        if code:
            region = Region.objects.filter(code=code).first()
            if region is None:
                errors.append(FieldError(f"units.{i}.region", "not_found", f"没有代码为“{code}”的地区"))
        name = str(raw.get("department") or "").strip()
        if name:
            department = (
                Department.objects.filter(code=name).first() or Department.objects.filter(name=name).first()
            )
            if department is None:
                errors.append(FieldError(f"units.{i}.department", "not_found", f"没有名为“{name}”的部门"))
        out.append(
            {
                "role": raw.get("role"),
                "text": raw.get("text"),
                "kind": raw.get("kind"),
                "region": region,
                "department": department,
            }
        )
    if errors:
        raise ValidationFailed(errors)
    return out


def task_from_raw(campaign: Campaign, raw: Mapping[str, Any], *, actor: Any) -> Task:
    """`create_task` from a form or JSON: number, title, content, battle (id), stage (id), deadline, units,
    targets."""
    errors: list[FieldError] = []
    battle = stage = None
    if raw.get("battle"):
        battle = Battle.objects.filter(campaign=campaign, pk=_int(raw.get("battle"))).first()
        if battle is None:
            errors.append(FieldError("battle", "not_found", "攻坚战不属于该专项整治"))
    if raw.get("stage"):
        stage = Stage.objects.filter(campaign=campaign, pk=_int(raw.get("stage"))).first()
        if stage is None:
            errors.append(FieldError("stage", "not_found", "阶段不属于该专项整治"))
    deadline = inputs.day(raw.get("deadline"), "deadline", "完成期限", errors)
    if errors:
        raise ValidationFailed(errors)
    targets = raw.get("targets") or []
    if not isinstance(targets, list | tuple) or not all(isinstance(t, Mapping) for t in targets):
        raise ValidationFailed([FieldError("targets", "invalid", "目标格式不正确")])
    return create_task(
        campaign,
        number=raw.get("number") or "",
        title=raw.get("title") or "",
        content=raw.get("content") or "",
        battle=battle,
        stage=stage,
        units=resolve_units(raw.get("units") or []),
        deadline=deadline,
        targets=targets,
        actor=actor,
    )


def _int(value: Any) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0
