"""Writes of rescue teams and supply depots (pages and API alike): checked field by field with Chinese errors,
one transaction each, audited (core/audit.py). Stock changes are stock.py; duty rosters duty.py."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import in_scope, role_may

from .choices import Readiness, Speciality, TeamKind
from .geo import LATITUDE, LONGITUDE
from .models import RescueTeam, SupplyDepot, TeamMember
from .owners import owner

MAX_MEMBERS = 10_000
MAX_MEMBER_ROWS = 500


def _choice(raw: dict[str, Any], field: str, label: str, choices: Any, errors: list[FieldError]) -> str:
    value = str(raw.get(field) or "").strip()
    if not value:
        errors.append(FieldError(field, "required", f"请选择{label}"))
    elif value not in choices.values:
        errors.append(FieldError(field, "invalid_choice", f"{label}取值应为：" + "、".join(choices.values)))
    return value


def _located(raw: dict[str, Any], errors: list[FieldError], partial: bool) -> dict[str, Any]:
    """The fields a team and a depot share: address, location (China's bounds) and the 24-hour contact."""
    values: dict[str, Any] = {}
    texts = (
        ("name", "名称", 100),
        ("address", "地址", 200),
        ("contact_name", "联系人", 50),
        ("contact_phone", "24小时联系电话", 20),
    )
    for field, label, length in texts:
        if not partial or field in raw:
            values[field] = inputs.text(
                raw.get(field), field, label, errors, max_length=length, required=True
            )
    for field, label, bounds in (("latitude", "纬度", LATITUDE), ("longitude", "经度", LONGITUDE)):
        if not partial or field in raw:
            value = inputs.coordinate(raw.get(field), field, label, errors, *bounds)
            if value is None and not any(e.field == field for e in errors):
                errors.append(FieldError(field, "required", f"{label}不能为空"))
            values[field] = value
    return values


def _team_values(raw: dict[str, Any], errors: list[FieldError], partial: bool) -> dict[str, Any]:
    values = _located(raw, errors, partial)
    for field, label, choices in (("kind", "队伍类型", TeamKind), ("speciality", "专业", Speciality)):
        if not partial or field in raw:
            values[field] = _choice(raw, field, label, choices, errors)
    if not partial or "readiness" in raw:
        values["readiness"] = (
            _choice(raw, "readiness", "战备状态", Readiness, errors)
            if raw.get("readiness")
            else Readiness.READY
        )
    if not partial or "member_count" in raw:
        count = inputs.integer(raw.get("member_count"), "member_count", "队员人数", errors, high=MAX_MEMBERS)
        values["member_count"] = count or 0
    if not partial or "equipment" in raw:
        equipment = raw.get("equipment") or ""
        if isinstance(equipment, list):
            equipment = "\n".join(str(e) for e in equipment)
        values["equipment"] = inputs.text(
            equipment, "equipment", "主要装备", errors, max_length=inputs.LONG_TEXT
        )
    return values


def _members(raw: Any, errors: list[FieldError]) -> list[TeamMember] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or len(raw) > MAX_MEMBER_ROWS:
        errors.append(FieldError("members", "invalid", f"队员名单应为列表，最多{MAX_MEMBER_ROWS}人"))
        return None
    rows = []
    for i, row in enumerate(raw):
        row = row if isinstance(row, dict) else {}
        rows.append(
            TeamMember(
                name=inputs.text(
                    row.get("name"), f"members.{i}.name", "姓名", errors, max_length=50, required=True
                ),
                role=inputs.text(row.get("role"), f"members.{i}.role", "职务", errors, max_length=50),
                phone=inputs.text(row.get("phone"), f"members.{i}.phone", "电话", errors, max_length=20),
            )
        )
    return rows


def _may_create(actor: Any, model: type) -> None:
    if not role_may(actor, model, "change"):
        raise NotPermitted("您的角色不能登记救援队伍或物资库")


def _after_write(obj: Any, actor: Any) -> None:
    obj.region_code = obj.region.code
    if not in_scope(obj, actor, "change"):  # the owner lies outside the writer's scope
        raise ValidationFailed([FieldError("region", "out_of_scope", "区域不在您的管辖范围内")])


def create_team(actor: Any, raw: dict[str, Any]) -> RescueTeam:
    _may_create(actor, RescueTeam)
    errors: list[FieldError] = []
    unit = owner(raw, actor, errors)
    values = _team_values(raw, errors, partial=False)
    members = _members(raw.get("members"), errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        team = RescueTeam(**unit, **values)
        _after_write(team, actor)
        if members is not None and not raw.get("member_count"):
            team.member_count = len(members)
        team.save()
        for m in members or []:
            m.team = team
        TeamMember.objects.bulk_create(members or [])
        audit.record_create(team, actor=actor, comment=_roll(members))
    return team


def _roll(members: list[TeamMember] | None) -> str:
    if members is None:
        return ""
    return "队员名单：" + "、".join(f"{m.name}（{m.role}）" if m.role else m.name for m in members)[:900]


def update_team(actor: Any, team: RescueTeam, raw: dict[str, Any], *, partial: bool = True) -> RescueTeam:
    if not in_scope(team, actor, "change"):
        raise NotPermitted("您不能修改这支救援队伍")
    errors: list[FieldError] = []
    values = _team_values(raw, errors, partial)
    members = _members(raw.get("members"), errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        team = RescueTeam.objects.select_for_update().get(pk=team.pk)
        before = audit.snapshot(team)
        for name, value in values.items():
            setattr(team, name, value)
        if members is not None:
            team.members.all().delete()
            for m in members:
                m.team = team
            TeamMember.objects.bulk_create(members)
            if "member_count" not in raw:
                team.member_count = len(members)
        team.updated_at = timezone.now()
        team.save()
        audit.record_update(team, before, actor=actor, comment=_roll(members))
    return team


def create_depot(actor: Any, raw: dict[str, Any]) -> SupplyDepot:
    _may_create(actor, SupplyDepot)
    errors: list[FieldError] = []
    unit = owner(raw, actor, errors)
    values = _located(raw, errors, partial=False)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        depot = SupplyDepot(**unit, **values)
        _after_write(depot, actor)
        depot.save()
        audit.record_create(depot, actor=actor)
    return depot


def update_depot(actor: Any, depot: SupplyDepot, raw: dict[str, Any], *, partial: bool = True) -> SupplyDepot:
    if not in_scope(depot, actor, "change"):
        raise NotPermitted("您不能修改这个物资库")
    errors: list[FieldError] = []
    values = _located(raw, errors, partial)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        depot = SupplyDepot.objects.select_for_update().get(pk=depot.pk)
        before = audit.snapshot(depot)
        for name, value in values.items():
            setattr(depot, name, value)
        depot.updated_at = timezone.now()
        depot.save()
        audit.record_update(depot, before, actor=actor)
    return depot
