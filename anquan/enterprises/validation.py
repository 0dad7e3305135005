"""One validation of enterprise input for the web form, the API and Excel import.

Input is "raw": strings or JSON values keyed by field name, with related records given by
natural key (region and grid by code, industry by code, department by name). Output is either
cleaned model values or a list of field errors in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import TextChoices

from anquan.core.errors import FieldError
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import region_in_scope
from anquan.orgs.models import Department, Industry
from anquan.regions.models import Grid, Region

from . import uscc as uscc_rules
from .choices import KeySupervisionLevel, Scale, StandardizationGrade, Status
from .models import Enterprise
from .workflow import status_refusal


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese column header for Excel, also the error wording
    kind: str  # text | int | decimal | choice | bool | region | grid | industry | department
    required: bool = False
    max_length: int = 0
    choices: type[TextChoices] | None = None
    perm: str = Perm.ENTERPRISE_CHANGE  # what the user needs to set this field
    maximum: int = 0  # int fields: the largest value accepted


MAX_EMPLOYEES = 1_000_000  # more than any single employer in China has at one site
COORDINATES = {"latitude": (3, 54), "longitude": (73, 136)}  # China
REGISTRY = Perm.ENTERPRISE_ADD
SUPERVISE = Perm.ENTERPRISE_SUPERVISE

FIELDS: list[Field] = [
    Field("name", "单位名称", "text", True, 200, perm=REGISTRY),
    Field("uscc", "统一社会信用代码", "text", True, 18, perm=REGISTRY),
    Field("region", "所在区域代码", "region", True, perm=REGISTRY),
    Field("address", "地址", "text", False, 300),
    Field("grid", "网格编码", "grid", False, perm=REGISTRY),
    Field("latitude", "纬度", "decimal"),
    Field("longitude", "经度", "decimal"),
    Field("industry", "行业类别代码", "industry", True, perm=REGISTRY),
    Field("scale", "规模", "choice", choices=Scale),
    Field("employee_count", "从业人数", "int", maximum=MAX_EMPLOYEES),
    Field("legal_representative", "法定代表人", "text", False, 50),
    Field("principal_name", "主要负责人", "text", False, 50),
    Field("principal_phone", "主要负责人电话", "phone"),
    Field("safety_manager_name", "安全管理人员", "text", False, 50),
    Field("safety_manager_phone", "安全管理人员电话", "phone"),
    Field("standardization_grade", "安全生产标准化等级", "choice", choices=StandardizationGrade),
    Field("key_supervision", "是否重点监管", "bool", perm=SUPERVISE),
    Field("key_supervision_level", "重点监管层级", "choice", choices=KeySupervisionLevel, perm=SUPERVISE),
    Field("status", "经营状态", "choice", choices=Status, perm=SUPERVISE),
    Field("territorial_region", "属地监管区域代码", "region", perm=SUPERVISE),
    Field("supervising_department", "行业监管部门", "department", perm=SUPERVISE),
]
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
DEFAULTS = {
    "scale": Scale.BELOW,
    "employee_count": 0,
    "standardization_grade": StandardizationGrade.NONE,
    "key_supervision": False,
    "key_supervision_level": "",
    "status": Status.OPERATING,
}
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
_TRUE = {"true", "1", "是", "yes", "y"}
_FALSE = {"false", "0", "否", "no", "n", ""}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _choice(field: Field, value) -> str | None:
    text = str(value).strip()
    for member in field.choices:
        if text in (member.value, str(member.label)):
            return member.value
    return None


class Lookups:
    """Natural-key lookups, cached for the length of one import (one query per distinct key)."""

    def __init__(self):
        self._cache: dict[tuple[str, str], object] = {}
        self.taken_usccs: set[str] | None = None  # pre-loaded by imports; None → ask the database

    def get(self, kind: str, key: str):
        if (kind, key) not in self._cache:
            if kind == "region":
                value = Region.objects.filter(code=key).first()
            elif kind == "grid":
                value = Grid.objects.filter(code=key).select_related("region").first()
            elif kind == "industry":
                # by code (the template) or by name (an export, which shows names)
                value = Industry.objects.filter(code=key).first() or Industry.objects.filter(name=key).first()
            else:
                value = Department.objects.filter(name=key).first()
            self._cache[(kind, key)] = value
        return self._cache[(kind, key)]

    def uscc_taken(self, code: str, instance: Enterprise | None) -> bool:
        if self.taken_usccs is not None:
            return code in self.taken_usccs
        clash = Enterprise.objects.filter(uscc=code)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        return clash.exists()


_MISSING = {
    "region": ("unknown_region", "区域代码“{}”不存在"),
    "grid": ("unknown_grid", "网格编码“{}”不存在"),
    "industry": ("unknown_industry", "行业类别代码“{}”不存在"),
    "department": ("unknown_department", "部门“{}”不存在"),
}


def _parse(field: Field, value, errors: list[FieldError], lookups: Lookups):
    """Parse one raw value; append an error and return None when it is bad."""

    def bad(code: str, message: str):
        errors.append(FieldError(field.name, code, message))

    if _blank(value):
        if field.required:
            bad("required", f"{field.label}不能为空")
        if field.name in DEFAULTS:  # left empty: the usual default (规下, 0 employees, 在营, 未评级 …)
            return DEFAULTS[field.name]
        return "" if field.kind in ("text", "phone", "choice") else (False if field.kind == "bool" else None)
    text = str(value).strip()
    if field.kind == "text":
        if field.max_length and len(text) > field.max_length:
            bad("too_long", f"{field.label}不能超过{field.max_length}个字")
            return None
        return text
    if field.kind == "phone":
        if not _PHONE.fullmatch(text):
            bad("invalid", f"{field.label}格式不正确")
            return None
        return text
    if field.kind == "int":
        try:
            exact = Decimal(text)
            if not exact.is_finite():
                raise InvalidOperation
            number = int(exact)
            if number != exact or number < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            bad("invalid", f"{field.label}应为不小于0的整数")
            return None
        if field.maximum and number > field.maximum:
            bad("out_of_range", f"{field.label}不能大于{field.maximum}")
            return None
        return number
    if field.kind == "decimal":
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            bad("invalid", f"{field.label}应为数字")
            return None
        limits = COORDINATES.get(field.name)
        if limits and not limits[0] <= number <= limits[1]:
            bad("out_of_range", f"{field.label}应在{limits[0]}到{limits[1]}之间（中国境内）")
            return None
        return number.quantize(Decimal("0.000001"))
    if field.kind == "choice":
        member = _choice(field, text)
        if member is None:
            allowed = "、".join(str(m.label) for m in field.choices)
            bad("invalid_choice", f"{field.label}“{text}”无效，应为：{allowed}")
        return member
    if field.kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        bad("invalid", f"{field.label}应为“是”或“否”")
        return None
    if field.kind in _MISSING:
        found = lookups.get(field.kind, text)
        if found is None:
            code, message = _MISSING[field.kind]
            bad(code, message.format(text))
        return found
    raise AssertionError(field.kind)


def clean_enterprise(
    raw: dict, *, user, instance: Enterprise | None = None, lookups: Lookups | None = None
) -> tuple[dict, list[FieldError]]:
    """Validate `raw` for creating (instance None) or changing `instance` (only the keys given)."""
    lookups = lookups or Lookups()
    errors: list[FieldError] = []
    unknown = sorted(set(raw) - set(FIELDS_BY_NAME))
    for name in unknown:
        errors.append(FieldError(name, "unknown_field", f"未知字段“{name}”"))
    cleaned: dict = {}
    for field in FIELDS:
        if field.name not in raw:
            if instance is None and field.required:
                errors.append(FieldError(field.name, "required", f"{field.label}不能为空"))
            continue
        value = raw[field.name]
        if field.name == "uscc" and isinstance(value, str):
            value = uscc_rules.normalise(value)
        parsed = _parse(field, value, errors, lookups)
        if any(e.field == field.name for e in errors):
            continue
        current = getattr(instance, field.name) if instance is not None else DEFAULTS.get(field.name)
        if field.name == "status" and instance is not None and parsed != current:
            errors.append(status_refusal())  # only the named transitions change it (workflow.py)
            continue
        if parsed != current and not has_perm(user, field.perm):
            errors.append(FieldError(field.name, "not_permitted", f"您无权修改{field.label}"))
            continue
        cleaned[field.name] = parsed

    if "uscc" in cleaned:
        problem = uscc_rules.validate(cleaned["uscc"])
        if problem:
            errors.append(FieldError("uscc", "invalid_uscc", problem))
        elif lookups.uscc_taken(cleaned["uscc"], instance):
            errors.append(FieldError("uscc", "duplicate", f"统一社会信用代码{cleaned['uscc']}已被登记"))

    region = cleaned.get("region") or (instance.region if instance is not None else None)
    if "region" in cleaned and region is not None and not region_in_scope(user, region.code):
        errors.append(FieldError("region", "out_of_scope", f"区域“{region.full_name}”不在您的管辖范围内"))
    grid = cleaned.get("grid")
    if (
        grid
        and region is not None
        and not grid.region.code.startswith(region.prefix)
        and not region.code.startswith(grid.region.prefix)
    ):
        errors.append(FieldError("grid", "grid_outside_region", f"网格“{grid.name}”不在所选区域内"))
    territorial = cleaned.get("territorial_region")
    if territorial and region is not None and not region.code.startswith(territorial.prefix):
        errors.append(
            FieldError("territorial_region", "not_ancestor", "属地监管区域应为所在区域本身或其上级区域")
        )
    key = cleaned.get("key_supervision", instance.key_supervision if instance else False)
    level = cleaned.get("key_supervision_level", instance.key_supervision_level if instance else "")
    if key and not level:
        errors.append(FieldError("key_supervision_level", "required", "重点监管企业须选择重点监管层级"))
    if not key and "key_supervision" in cleaned:
        cleaned["key_supervision_level"] = ""
    return cleaned, errors


def to_raw(enterprise: Enterprise) -> dict:
    """An enterprise as natural-key values (Excel export, form initial data)."""
    raw = {}
    for field in FIELDS:
        value = getattr(enterprise, field.name)
        if field.kind in ("region", "industry"):
            value = value.code if value else ""
        elif field.kind == "grid":
            value = value.code if value else ""
        elif field.kind == "department":
            value = value.name if value else ""
        elif field.kind == "choice":
            value = str(field.choices(value).label) if value else ""
        elif field.kind == "bool":
            value = "是" if value else "否"
        raw[field.name] = value
    return raw
