"""Task-list imports: preview (parsed lines, units recognised or flagged), a person's mappings (remembered as
`UnitAlias` for the office's next import), and apply (one transaction, through `create_task`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.imports import ImportRefused
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import CHANGE, in_scope
from anquan.orgs.models import Department
from anquan.regions.models import Region

from ..choices import ImportStatus, UnitKind, UnitRole
from ..models import Battle, Campaign, Task, TaskImport, TaskUnit, UnitAlias
from ..services import create_task, remap_unit
from . import excel
from .parse import WORD_OF_ROLE, Item, parse_text
from .recognise import Recogniser, normalise

TEXT_MAX = 200_000
PASTED = "粘贴文本"
TEXT_ONLY = "text_only"  # a mapping's kind: 不作为责任单位 (kept as text, no sub-task)
NEW_DEPARTMENT = "new_department"  # a mapping that adds a kind of department to orgs first
MAPPING_KINDS = {
    UnitKind.DEPARTMENT.value: "部门",
    UnitKind.REGION.value: "地区",
    UnitKind.CHILD_REGIONS.value: "下辖各地",
    UnitKind.MEMBER_DEPARTMENTS.value: "安委会成员单位",
    TEXT_ONLY: "不作为责任单位",
    NEW_DEPARTMENT: "新增部门类别",
}


def _unit_row(role: str, text: str, recogniser: Recogniser) -> dict[str, Any]:
    found = recogniser.recognise(text)
    return {
        "role": role,
        "role_word": WORD_OF_ROLE.get(UnitRole(role), ""),
        "text": text,
        "kind": found.kind,
        "region": found.region.code if found.region else None,
        "department": found.department.pk if found.department else None,
        "label": found.label(),
        "flagged": found.flagged,
    }


def rows_of(items: list[Item], region: Region) -> list[dict[str, Any]]:
    recogniser = Recogniser(region)
    return [
        {
            "number": item.number,
            "title": item.title[:300],
            "content": item.content,
            "battle": item.battle[:200],
            "battle_number": item.battle_number[:20],
            "deadline": item.deadline.isoformat() if item.deadline else None,
            "deadline_text": item.deadline_text,
            "unit_text": item.unit_text,
            "units": [_unit_row(u.role, u.text[:200], recogniser) for u in item.units],
        }
        for item in items
    ]


@dataclass
class Counts:
    lines: int
    units: int
    recognised: int
    flagged: int
    flagged_names: list[str]  # each name once, in the order first met


def counts(rows: list[dict[str, Any]]) -> Counts:
    units = [u for row in rows for u in row["units"]]
    flagged = [u["text"] for u in units if u["flagged"]]
    return Counts(
        len(rows), len(units), len(units) - len(flagged), len(flagged), list(dict.fromkeys(flagged))
    )


def _may_import(campaign: Campaign, actor: Any) -> None:
    if not in_scope(campaign, actor, CHANGE):
        raise NotPermitted("只有本级及上级安委办可以导入任务清单")


@transaction.atomic
def _create(campaign: Campaign, items: list[Item], *, source: str, text: str, actor: Any) -> TaskImport:
    task_import = TaskImport.objects.create(
        campaign=campaign,
        source_name=source[:200],
        text=text,
        rows=rows_of(items, campaign.region),
        created_by=actor,
    )
    audit.record_create(task_import, actor=actor, comment="任务清单导入预览")
    return task_import


def preview_text(campaign: Campaign, text: str, *, actor: Any) -> TaskImport:
    """A preview of pasted text; field-level errors for empty text, text too long, no numbered items."""
    _may_import(campaign, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed([FieldError("text", "required", "请粘贴任务清单的文本")])
    if len(text) > TEXT_MAX:
        raise ValidationFailed([FieldError("text", "too_long", f"文本不能超过{TEXT_MAX}个字")])
    parsed = parse_text(text)
    if not parsed.items:
        message = "没有找到编号的任务：每项任务应另起一行，以“1.”“2.”这样的编号开头"
        raise ValidationFailed([FieldError("text", "no_items", message)])
    return _create(campaign, parsed.items, source=PASTED, text=text, actor=actor)


def upload_limit() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def preview_workbook(campaign: Campaign, data: bytes, name: str, *, actor: Any) -> TaskImport:
    """A preview of an uploaded .xlsx; field-level errors (field "file") for the wrong type, a file too large
    or a sheet that is not a task list."""
    _may_import(campaign, actor)
    if len(data) > upload_limit():
        raise ValidationFailed(
            [FieldError("file", "too_large", f"文件不能超过{upload_limit() // (1024 * 1024)}MB")]
        )
    if not name.lower().endswith(".xlsx") or not data.startswith(b"PK"):
        raise ValidationFailed([FieldError("file", "file_type", "请上传 .xlsx 格式的Excel文件")])
    try:
        items = excel.read_workbook(data)
    except ImportRefused as exc:
        raise ValidationFailed([FieldError("file", "unreadable", exc.message)]) from None
    if not items:
        raise ValidationFailed([FieldError("file", "no_items", "文件中没有任务行")])
    return _create(campaign, items, source=name, text="", actor=actor)


def _mapped_to(
    campaign: Campaign, kind: str, region_code: str | None, department_id: int | None
) -> tuple[str, Region | None, Department | None]:
    """(kind, region, department) a mapping names, checked against the campaign's region."""
    home = campaign.region
    region: Region | None = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None or not region.code.startswith(home.prefix):
            raise ValidationFailed([FieldError("region", "invalid", "地区应为本级或下辖的地区")])
    department = None
    if kind == UnitKind.DEPARTMENT:
        department = Department.objects.filter(pk=department_id).first() if department_id else None
        if department is None:
            raise ValidationFailed([FieldError("department", "required", "请选择部门")])
        return UnitKind.DEPARTMENT, region or home, department
    if kind == UnitKind.REGION:
        if region is None:
            raise ValidationFailed([FieldError("region", "required", "请选择地区")])
        return UnitKind.REGION, region, None
    if kind in (UnitKind.CHILD_REGIONS, UnitKind.MEMBER_DEPARTMENTS):
        return kind, region or home, None
    return UnitKind.UNRECOGNISED, None, None  # TEXT_ONLY


def _new_department(name: str, full_name: str, actor: Any) -> Department:
    """A new kind of department (e.g. 司法局) added to orgs for every level, audited; by an office that may
    manage organisations."""
    if not has_perm(actor, Perm.ORG_MANAGE):
        raise NotPermitted("您的角色不能新增部门类别")
    name, full_name = (name or "").strip(), (full_name or name or "").strip()
    errors = []
    if not name or len(name) > 50:
        errors.append(FieldError("department_name", "invalid", "部门简称必填，不超过50个字"))
    elif Department.objects.filter(name=name).exists():
        errors.append(FieldError("department_name", "exists", "已有同名的部门类别，请直接选择"))
    if len(full_name) > 100:
        errors.append(FieldError("department_full_name", "too_long", "部门全称不能超过100个字"))
    if errors:
        raise ValidationFailed(errors)
    code = (slugify(name) or "dept") + f"-{Department.objects.count() + 1}"
    order = Department.objects.count()
    department = Department.objects.create(code=code[:40], name=name, full_name=full_name, order=order)
    audit.record_create(department, actor=actor, comment="导入任务清单时新增部门类别")
    return department


@transaction.atomic
def map_name(
    task_import: TaskImport,
    *,
    text: str,
    kind: str,
    region_code: str | None = None,
    department_id: int | None = None,
    department_name: str = "",
    department_full_name: str = "",
    actor: Any,
) -> int:
    """Map every unit written `text` in the import and remember it for the office; returns the units changed."""
    task_import = TaskImport.objects.select_for_update().get(pk=task_import.pk)
    _may_import(task_import.campaign, actor)
    if task_import.status != ImportStatus.PREVIEW:
        raise Conflict("already_applied", "该清单已导入，不能再修改")
    key = normalise(text or "")
    units = [u for row in task_import.rows for u in row["units"] if normalise(u["text"]) == key]
    if not key or not units:
        raise ValidationFailed([FieldError("text", "not_found", "清单中没有这个单位名称")])
    if kind not in MAPPING_KINDS:
        raise ValidationFailed(
            [FieldError("kind", "invalid", "请选择：" + "、".join(MAPPING_KINDS.values()))]
        )
    if kind == NEW_DEPARTMENT:
        department_id = _new_department(department_name, department_full_name, actor).pk
        kind = UnitKind.DEPARTMENT
    mapped_kind, region, department = _mapped_to(task_import.campaign, kind, region_code, department_id)
    _remember(task_import.campaign, key, mapped_kind, region, department, actor)
    recogniser = Recogniser(task_import.campaign.region)
    for unit in units:
        unit.update(_unit_row(unit["role"], unit["text"], recogniser))
    task_import.save(update_fields=["rows"])  # type: ignore[no-untyped-call]
    return len(units)


def _remember(
    campaign: Campaign, key: str, kind: str, region: Region | None, department: Department | None, actor: Any
) -> None:
    """The office's mapping of a name, kept for its next import (audited)."""
    office = campaign.region_code
    alias = UnitAlias.objects.filter(region_code=office, text=key).first()
    before = audit.snapshot(alias) if alias else None
    alias = alias or UnitAlias(region_code=office, text=key, created_by=actor)
    alias.kind, alias.region, alias.department = kind, region, department
    alias.save()
    if before is None:
        audit.record_create(alias, actor=actor)
    else:
        audit.record_update(alias, before, actor=actor)


@transaction.atomic
def map_applied(
    line: Task,
    *,
    text: str,
    kind: str,
    region_code: str | None = None,
    department_id: int | None = None,
    department_name: str = "",
    department_full_name: str = "",
    actor: Any,
) -> int:
    """After a list was applied: map a name still flagged on `line`. Every line of the campaign naming it gains its
    sub-tasks (campaigns.services.remap_unit, audited), and the office remembers the mapping; returns the units
    changed. Kept as text only, the units stay on their lines without a sub-task and are no longer flagged."""
    campaign = line.campaign
    _may_import(campaign, actor)
    key = normalise(text or "")
    units = [
        u
        for u in TaskUnit.objects.select_related("task")
        .filter(task__campaign=campaign, task__parent=None, kind=UnitKind.UNRECOGNISED)
        .order_by("task__order", "task_id", "order")
        if normalise(u.text) == key
    ]
    if not key or not any(u.task_id == line.pk for u in units):
        raise ValidationFailed([FieldError("text", "not_found", "本任务没有待确认的这个单位名称")])
    if kind not in MAPPING_KINDS:
        raise ValidationFailed(
            [FieldError("kind", "invalid", "请选择：" + "、".join(MAPPING_KINDS.values()))]
        )
    if kind == NEW_DEPARTMENT:
        department_id = _new_department(department_name, department_full_name, actor).pk
        kind = UnitKind.DEPARTMENT
    mapped_kind, region, department = _mapped_to(campaign, kind, region_code, department_id)
    _remember(campaign, key, mapped_kind, region, department, actor)
    if mapped_kind == UnitKind.UNRECOGNISED:  # 不作为责任单位: the office decided; no sub-task
        return 0
    for unit in units:
        remap_unit(unit, kind=mapped_kind, region=region, department=department, actor=actor)
    return len(units)


@dataclass
class Applied:
    created: int
    skipped: int  # lines already in the campaign (an earlier import or this one applied before)
    flagged: int  # units left unmapped: on their lines as text, no sub-task until a person maps them


def _battles(campaign: Campaign, rows: list[dict[str, Any]], actor: Any) -> dict[str, Battle]:
    battles = {b.name: b for b in Battle.objects.filter(campaign=campaign)}
    for row in rows:
        name = row["battle"]
        if name and name not in battles:
            battles[name] = Battle.objects.create(
                campaign=campaign, number=row["battle_number"], name=name, order=len(battles)
            )
            audit.record_create(battles[name], actor=actor, comment="导入任务清单")
    return battles


def _units(row: dict[str, Any]) -> list[dict[str, Any]]:
    regions = {
        r.code: r for r in Region.objects.filter(code__in=[u["region"] for u in row["units"] if u["region"]])
    }
    departments = Department.objects.in_bulk([u["department"] for u in row["units"] if u["department"]])
    return [
        {
            "role": u["role"],
            "text": u["text"],
            "kind": u["kind"],
            "region": regions.get(u["region"]) if u["region"] else None,
            "department": departments.get(u["department"]) if u["department"] else None,
        }
        for u in row["units"]
    ]


@transaction.atomic
def apply(task_import: TaskImport, *, actor: Any) -> Applied:
    """Create the import's lines in its campaign, once: a line whose number (in its battle) is already there
    is skipped, so applying again — or importing the same list twice — never duplicates a task."""
    task_import = (
        TaskImport.objects.select_for_update().select_related("campaign__region").get(pk=task_import.pk)
    )
    campaign = task_import.campaign
    _may_import(campaign, actor)
    rows = task_import.rows
    flagged = counts(rows).flagged
    existing = set(Task.objects.filter(campaign=campaign, parent=None).values_list("battle__name", "number"))
    existing = {(battle or "", number) for battle, number in existing}
    if task_import.status == ImportStatus.APPLIED:
        return Applied(0, len(rows), flagged)
    battles = _battles(campaign, rows, actor)
    created = 0
    for row in rows:
        if (row["battle"], row["number"]) in existing:
            continue
        create_task(
            campaign,
            number=row["number"],
            title=row["title"],
            content=row["content"],
            battle=battles.get(row["battle"]),
            units=_units(row),
            deadline=dt.date.fromisoformat(row["deadline"]) if row["deadline"] else None,
            actor=actor,
        )
        existing.add((row["battle"], row["number"]))
        created += 1
    before = audit.snapshot(task_import)
    task_import.status, task_import.applied_at = ImportStatus.APPLIED, timezone.now()
    task_import.save(update_fields=["status", "applied_at"])  # type: ignore[no-untyped-call]
    audit.record_update(task_import, before, actor=actor, comment=f"导入{created}项任务")
    return Applied(created, len(rows) - created, flagged)
