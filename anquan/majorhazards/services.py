"""Major hazard installations (重大危险源, GB 18218-2018): recording one with its substances and storing
the computation of gb18218.identify (S, R, grade and the line-by-line breakdown) so the grade is
explained by what was entered. Every create and update recomputes and is audited."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.models import AuditAction
from anquan.riskpoints import levels
from anquan.riskpoints.services import _require_writer, _text, resolve_enterprise
from anquan.standards import gb18218, services
from anquan.standards.exact import cut4

from . import sensors
from .models import InstallationSubstance, MajorHazardInstallation

RAISING_GRADES = (
    1,
    2,
)  # GB 18218-2018 表6: 一级、二级重大危险源 raise the enterprise's level (levels.RULE_TEXT)


def raising_installations() -> QuerySet[MajorHazardInstallation]:
    """The installations that raise their enterprise's risk level to at least orange (registered with levels)."""
    return MajorHazardInstallation.objects.filter(is_major=True, grade__in=RAISING_GRADES)


PERSONS = ("principal", "technical", "operational")  # 包保责任人 (GLOSSARY accountable persons)


def persons_incomplete() -> Q:
    """A major hazard installation whose 包保责任人 (principal, technical, operational person) is not fully
    named with a phone: 安全包保责任制 not in place (seeds: 严格落实重大危险源安全包保责任制)."""
    missing = Q()
    for person in PERSONS:
        missing |= Q(**{f"{person}_name": ""}) | Q(**{f"{person}_phone": ""})
    return Q(is_major=True) & missing


def has_all_persons(inst: MajorHazardInstallation) -> bool:
    return all(getattr(inst, f"{p}_{f}") for p in PERSONS for f in ("name", "phone"))


def _quantity(value: object, i: int, errors: list[FieldError]) -> Decimal | None:
    if value in (None, ""):
        return None  # gb18218.identify reports it as required
    try:
        return Decimal(str(value))
    except InvalidOperation:
        errors.append(FieldError(f"substances.{i}.quantity_t", "invalid", "数量（吨）应为数字"))
        return None


def _categories(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").split(",")]
    return tuple(v.strip() for v in value or () if v and v.strip())


def _substance_text(
    s: dict[str, Any], i: int, field: str, label: str, errors: list[FieldError]
) -> str | None:
    """A substance's name or CAS, refused (never cut) past its column's length."""
    value = str(s.get(field) or "").strip()
    column = InstallationSubstance._meta.get_field(field)
    assert isinstance(column, models.Field) and column.max_length is not None  # name and cas: bounded text
    limit = column.max_length
    if len(value) > limit:
        errors.append(FieldError(f"substances.{i}.{field}", "too_long", f"{label}不能超过{limit}个字"))
    return value or None


def compute(unit_type: str, substances: list[dict[str, Any]], exposed_persons: int | None) -> gb18218.Result:
    errors: list[FieldError] = []
    gb18218.check_count(substances)
    inputs = [
        gb18218.SubstanceIn(
            quantity_t=_quantity(s.get("quantity_t"), i, errors),
            name=_substance_text(s, i, "name", "物质名称", errors),
            cas=_substance_text(s, i, "cas", "CAS号", errors),
            categories=_categories(s.get("category") or s.get("categories")),
        )
        for i, s in enumerate(substances)
    ]
    if errors:
        raise ValidationFailed(errors)
    return gb18218.identify(unit_type, inputs, exposed_persons, held=services.held_categories())


def breakdown(result: gb18218.Result) -> dict[str, Any]:
    """The stored explanation: exact S and R as fractions, the shown values cut to 4 places, each line."""
    return {
        "standard": "GB 18218-2018",
        "unit_type": result.unit_type,
        "s": cut4(result.s),
        "s_exact": str(result.s),
        "is_major": result.is_major,
        "alpha": float(result.alpha) if result.alpha is not None else None,
        "r": cut4(result.r) if result.r is not None else None,
        "r_exact": str(result.r) if result.r is not None else None,
        "grade": result.grade,
        "lines": [
            {
                "substance": line.substance,
                "table1_no": line.table1_no,
                "cas": line.cas,
                "category": list(line.categories),
                "q": float(line.q),
                "Q": float(line.critical_t),
                "beta": float(line.beta) if line.beta is not None else None,
                "beta_source": line.beta_source,
                "ratio": cut4(line.ratio),
            }
            for line in result.lines
        ],
    }


def _exposed(raw: dict[str, Any], errors: list[FieldError]) -> int | None:
    value: Any = raw.get("exposed_persons")
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append(FieldError("exposed_persons", "invalid", "厂外暴露人员数量应为整数"))
        return None
    return number


def _apply(
    inst: MajorHazardInstallation, raw: dict[str, Any], errors: list[FieldError]
) -> tuple[gb18218.Result, list[InstallationSubstance]]:
    inst.name = _text(raw, "name", "重大危险源名称", errors, 200, required=True)
    for person in PERSONS:
        setattr(inst, f"{person}_name", _text(raw, f"{person}_name", "包保责任人姓名", errors, 50))
        setattr(inst, f"{person}_phone", _text(raw, f"{person}_phone", "包保责任人电话", errors, 20))
    exposed = _exposed(raw, errors)
    substances = list(raw.get("substances") or [])
    try:
        result = compute(str(raw.get("unit_type") or ""), substances, exposed)
    except ValidationFailed as exc:
        raise ValidationFailed(errors + exc.errors) from None
    if errors:
        raise ValidationFailed(errors)
    inst.unit_type = result.unit_type
    inst.exposed_persons = exposed
    inst.s = Decimal(str(cut4(result.s)))
    inst.is_major = result.is_major
    inst.alpha = result.alpha
    inst.r = Decimal(str(cut4(result.r))) if result.r is not None else None
    inst.grade = result.grade
    inst.computation = breakdown(result)
    inst.required_sensors = sensors.required_for(inst.unit_type, inst.computation, inst.is_major)
    inst.updated_at = timezone.now()
    rows = [
        InstallationSubstance(
            order=i,
            name=(s.get("name") or "").strip(),
            cas=(s.get("cas") or "").strip(),
            quantity_t=line.q,
            categories=list(_categories(s.get("category") or s.get("categories"))),
        )
        for i, (s, line) in enumerate(zip(substances, result.lines, strict=True))
    ]
    return result, rows


def _snapshot(inst: MajorHazardInstallation) -> dict[str, Any]:
    data = audit.snapshot(inst)
    data["substances"] = [
        {"name": s.name, "cas": s.cas, "quantity_t": str(s.quantity_t), "categories": s.categories}
        for s in inst.substances.all()
    ]
    return data


@transaction.atomic
def create_installation(raw: dict[str, Any], *, actor: User) -> MajorHazardInstallation:
    """raw: enterprise (USCC), name, unit_type, exposed_persons, substances [{name, cas, quantity_t,
    category}], principal_/technical_/operational_ name and phone."""
    errors: list[FieldError] = []
    enterprise = resolve_enterprise(raw.get("enterprise"), actor, errors)
    inst = MajorHazardInstallation()
    _result, rows = _apply(inst, raw, errors)  # raises with every field error at once
    if enterprise is None:
        raise ValidationFailed(errors)
    _require_writer(actor, enterprise)
    inst.enterprise = enterprise
    inst.region_code = enterprise.region_code
    inst.supervising_department_id = enterprise.supervising_department_id
    inst.save()
    for row in rows:
        row.installation = inst
    InstallationSubstance.objects.bulk_create(rows)
    audit.record(AuditAction.CREATE, inst, actor=actor, after=_snapshot(inst))
    levels.refresh(inst.enterprise_id)  # a grade 1/2 installation raises the enterprise's level
    return inst


@transaction.atomic
def update_installation(
    inst: MajorHazardInstallation, raw: dict[str, Any], *, actor: User
) -> MajorHazardInstallation:
    """Replace the inputs (name, unit type, persons, substances, accountable persons) and recompute."""
    inst = MajorHazardInstallation.objects.select_for_update().get(pk=inst.pk)
    _require_writer(actor, inst.enterprise)
    before = _snapshot(inst)
    current = {
        "name": inst.name,
        "unit_type": inst.unit_type,
        "exposed_persons": inst.exposed_persons,
        "substances": [
            {"name": s.name, "cas": s.cas, "quantity_t": s.quantity_t, "category": s.categories}
            for s in inst.substances.all()
        ],
        **{f"{p}_{f}": getattr(inst, f"{p}_{f}") for p in PERSONS for f in ("name", "phone")},
    }
    errors: list[FieldError] = []
    _result, rows = _apply(inst, {**current, **raw}, errors)
    inst.save()
    inst.substances.all().delete()
    for row in rows:
        row.installation = inst
    InstallationSubstance.objects.bulk_create(rows)
    after = _snapshot(inst)
    if after != before:
        audit.record(AuditAction.UPDATE, inst, actor=actor, before=before, after=after)
    levels.refresh(inst.enterprise_id)
    return inst
