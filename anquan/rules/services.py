"""Reading the version in force and adding versions (docs/adr/0022-versioned-rule-data.md).

`in_force(key, on, region_code)` is how an app reads a figure: the latest version in force on that day, the
province's own before the national one. A record that applied a figure keeps the version's id, so the figure
it used can always be shown even after a newer version is added. Versions are only ever added (audited).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from pydantic import ValidationError

from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed, pydantic_message
from anquan.core.models import AuditAction
from anquan.core.permissions import Role
from anquan.core.titles import titled

from .choices import Verification
from .models import RuleVersion
from .registry import RuleKind, kind, kinds

SOURCE_MAX, NOTE_MAX = 1000, 2000


class RuleMissing(LookupError):
    """No version of a kind is in force on a day (before its first version's date)."""


def province_code(region_code: str | None) -> str:
    """The GB/T 2260 code of the province a region lies in ("360402" → "360000"); "" stays ""."""
    return f"{region_code[:2]}0000" if region_code else ""


def in_force(key: str, on: date, region_code: str | None = "") -> RuleVersion:
    """The version in force on `on`: the latest to take effect by then, the national one or the province's
    own (on the same day the province's wins). A newer national version thus overrides an older provincial
    figure; a province that keeps its own figure adds it again from that date."""
    kind(key)  # an unknown key is a programming error, not a missing version
    province = province_code(region_code)
    version = (
        RuleVersion.objects.filter(key=key, region_code__in={province, ""}, effective_from__lte=on)
        .order_by("-effective_from", "-region_code")
        .first()
    )
    if version is None:
        raise RuleMissing(f"no version of {key!r} in force on {on}")
    return version


def versions(key: str) -> QuerySet[RuleVersion]:
    """Every version of a kind, the province's and the national ones, newest first."""
    return (
        RuleVersion.objects.filter(key=key)
        .select_related("created_by")
        .order_by("region_code", "-effective_from")
    )


def can_edit(actor: Any, region_code: str) -> bool:
    """A system administrator adds any version; a province office only its own province's."""
    if not getattr(actor, "is_active", False):
        return False
    role = getattr(actor, "role", None)
    if role == Role.SYSADMIN:
        return True
    return role == Role.PROVINCE_OFFICE and bool(region_code) and actor.region_code == region_code


def validate_values(rule: RuleKind, values: dict[str, Any]) -> dict[str, Any]:
    """The figures checked by the kind's schema; errors name the field (the form's input `values.<name>`)."""
    try:
        return rule.schema.model_validate(values).model_dump(mode="json")
    except ValidationError as exc:
        raise ValidationFailed(
            [
                FieldError(
                    "values." + ".".join(str(p) for p in error["loc"]) if error["loc"] else "values",
                    error["type"],
                    pydantic_message(dict(error)),
                )
                for error in exc.errors()
            ]
        ) from None


def check_version(
    rule: RuleKind, effective_from: date | None, values: dict[str, Any], source: str, verified: str, note: str
) -> tuple[dict[str, Any], list[FieldError]]:
    """(the figures as the schema stores them, every field error at once)."""
    errors = []
    if effective_from is None:
        errors.append(FieldError("effective_from", "required", "请填写施行日期"))
    if not source.strip():
        errors.append(FieldError("source", "required", "请写明依据（文件名称和条款）"))
    elif len(source) > SOURCE_MAX:
        errors.append(FieldError("source", "too_long", f"不超过{SOURCE_MAX}字"))
    if len(note) > NOTE_MAX:
        errors.append(FieldError("note", "too_long", f"不超过{NOTE_MAX}字"))
    if verified not in Verification.values:
        errors.append(FieldError("verified", "invalid", "请选择核实情况"))
    clean: dict[str, Any] = {}
    try:
        clean = validate_values(rule, values)
    except ValidationFailed as exc:
        errors += exc.errors
    return clean, errors


def add_version(
    actor: Any,
    key: str,
    *,
    effective_from: date | None,
    values: dict[str, Any],
    source: str,
    verified: str,
    note: str = "",
    region_code: str = "",
) -> RuleVersion:
    """A new version (audited). It never changes the figures a record already applied (they keep their version)."""
    try:
        rule = kind(key)
    except LookupError:
        raise ValidationFailed([FieldError("key", "unknown", "没有这类规则")]) from None
    if region_code and not (len(region_code) == 6 and region_code.isdigit()):
        raise ValidationFailed([FieldError("region_code", "invalid", "应为6位行政区划代码，留空为全国")])
    region_code = province_code(region_code)
    if not can_edit(actor, region_code):
        raise NotPermitted("只有系统管理员或本省安委办可以添加规则版本")
    clean, errors = check_version(rule, effective_from, values, source, verified, note)
    if errors or effective_from is None:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            version = RuleVersion.objects.create(
                key=key,
                region_code=region_code,
                effective_from=effective_from,
                values=clean,
                source=source.strip(),
                verified=verified,
                note=note.strip(),
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit.record(AuditAction.CREATE, version, actor=actor, after=readable(version))
    except IntegrityError:
        raise ValidationFailed(
            [FieldError("effective_from", "taken", "这一天起施行的版本已经有了：请换一个施行日期")]
        ) from None
    return version


def readable(version: RuleVersion) -> dict[str, Any]:
    """The version as its audit entry keeps it: every stored value, the kind named by its label and each figure
    by its title (the log is read by people; the row itself keeps the figures under their field names)."""
    rule = kind(version.key)
    after = audit.snapshot(version)
    after["key"] = rule.label
    after["values"] = titled(rule.schema, version.values)
    return after


def seed_defaults(actor: Any = "migrate") -> int:
    """Store each registered kind's reference versions that are not stored yet (after every migrate, whose
    work the audit entries name: actor "migrate")."""
    made = 0
    for rule in kinds():
        for default in rule.defaults:
            region = province_code(default.region_code)
            if RuleVersion.objects.filter(
                key=rule.key, region_code=region, effective_from=default.effective_from
            ).exists():
                continue
            with transaction.atomic():
                version = RuleVersion.objects.create(
                    key=rule.key,
                    region_code=region,
                    effective_from=default.effective_from,
                    values=rule.schema.model_validate(default.values).model_dump(mode="json"),
                    source=default.source,
                    verified=default.verified,
                    note=default.note,
                )
                audit.record(AuditAction.CREATE, version, actor=actor, after=readable(version))
            made += 1
    return made
