"""One reading of a venue's fields, shared by the pages, the API and the Excel import: every field checked,
each error field-level and in Chinese (`clean`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from anquan.core import inputs
from anquan.core.errors import FieldError
from anquan.core.scope import region_in_scope
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Grid, Region

from .choices import VenueKind, VenueStatus

PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
COORDINATES = {"latitude": (3, 54), "longitude": (73, 136)}  # China
MAX_EXTINGUISHERS, MAX_EXITS = 1000, 50
_TRUE = {"true", "1", "yes", "on", "是", "有"}
_FALSE = {"false", "0", "no", "off", "否", "无", ""}


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # Chinese: the form's label, the template's column, the error's prefix
    kind: str  # text | phone | choice | int | bool | region | grid | coordinate
    required: bool = False
    max_length: int = 0


FIELDS = [
    Field("kind", "类别", "choice", required=True),
    Field("name", "名称", "text", required=True, max_length=200),
    Field("address", "地址", "text", required=True, max_length=300),
    Field("region", "所在乡镇（街道）或村（社区）代码", "region", required=True),
    Field("grid", "网格编码", "grid"),
    Field("owner_name", "负责人", "text", required=True, max_length=50),
    Field("owner_phone", "联系电话", "phone", required=True),
    Field("extinguishers", "灭火器（具）", "int"),
    Field("exits", "安全出口（个）", "int"),
    Field("ebike_indoor_charging", "室内为电动自行车充电", "bool"),
    Field("uses_gas", "使用燃气", "bool"),
    Field("gas_alarm", "安装燃气泄漏报警器", "bool"),
    Field("combustible_decoration", "使用易燃可燃材料装修", "bool"),
    Field("status", "状态", "choice"),
    Field("latitude", "纬度", "coordinate"),
    Field("longitude", "经度", "coordinate"),
]
BY_NAME = {f.name: f for f in FIELDS}
BOOLS = [f.name for f in FIELDS if f.kind == "bool"]
DEFAULTS: dict[str, Any] = {"status": VenueStatus.OPEN, "extinguishers": 0, "exits": 1}


def _choice(field: Field, value: Any, errors: list[FieldError]) -> str | None:
    choices = VenueKind if field.name == "kind" else VenueStatus
    text = str(value).strip()
    for member in choices:
        if text in (member.value, str(member.label)):
            return member.value
    labels = "、".join(str(m.label) for m in choices)
    errors.append(FieldError(field.name, "invalid_choice", f"{field.label}应为：{labels}"))
    return None


def _bool(field: Field, value: Any, errors: list[FieldError]) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    errors.append(FieldError(field.name, "invalid", f"{field.label}应为“是”或“否”"))
    return None


def _region(value: Any, user: Any, errors: list[FieldError]) -> Region | None:
    code = str(value).strip()
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(user, region.code):
        errors.append(FieldError("region", "out_of_scope", "区域不存在或不在您的管辖范围内"))
        return None
    if region.level < RegionLevel.TOWNSHIP:
        errors.append(FieldError("region", "invalid", "请选择乡镇（街道）或村（社区）"))
        return None
    return region


def _grid(value: Any, user: Any, errors: list[FieldError]) -> Grid | None:
    text = str(value).strip()
    grid = Grid.objects.filter(code=text).first()
    if grid is None and text.isdigit():
        grid = Grid.objects.filter(pk=int(text)).first()
    if grid is None or not region_in_scope(user, grid.region_code):
        errors.append(FieldError("grid", "out_of_scope", "网格不存在或不在您的管辖范围内"))
        return None
    return grid


def _one(field: Field, value: Any, user: Any, errors: list[FieldError]) -> Any:
    if field.kind == "text":
        return inputs.text(value, field.name, field.label, errors, max_length=field.max_length)
    if field.kind == "phone":
        text = str(value).strip()
        if not PHONE.fullmatch(text):
            errors.append(FieldError(field.name, "invalid", f"{field.label}格式不正确（7–20位数字）"))
            return None
        return text
    if field.kind == "choice":
        return _choice(field, value, errors)
    if field.kind == "int":
        high = MAX_EXTINGUISHERS if field.name == "extinguishers" else MAX_EXITS
        return inputs.integer(value, field.name, field.label, errors, low=0, high=high)
    if field.kind == "bool":
        return _bool(field, value, errors)
    if field.kind == "region":
        return _region(value, user, errors)
    if field.kind == "grid":
        return _grid(value, user, errors)
    low, high = COORDINATES[field.name]
    return inputs.coordinate(value, field.name, field.label, errors, low, high)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def clean(
    raw: dict[str, Any], user: Any, *, partial: bool = False
) -> tuple[dict[str, Any], list[FieldError]]:
    """(the values to store, every error at once). `partial`: only the fields present are read (PATCH)."""
    values: dict[str, Any] = {}
    errors: list[FieldError] = []
    for field in FIELDS:
        if partial and field.name not in raw:
            continue
        value = raw.get(field.name)
        if _blank(value) and field.kind != "bool":
            if field.required:
                errors.append(FieldError(field.name, "required", f"{field.label}不能为空"))
            elif field.name in DEFAULTS:
                values[field.name] = DEFAULTS[field.name]
            else:
                values[field.name] = None
            continue
        if value is None:  # a bool field left out of a form: unticked
            values[field.name] = False
            continue
        parsed = _one(field, value, user, errors)
        if parsed is not None:
            values[field.name] = parsed
    if not errors:
        _together(values, errors)
    return values, errors


def _together(values: dict[str, Any], errors: list[FieldError]) -> None:
    """Checks across fields: a grid in the venue's township, both coordinates or none, an alarm only with gas."""
    grid, region = values.get("grid"), values.get("region")
    if grid is not None and region is not None and grid.region_code[:9] != region.code[:9]:
        errors.append(FieldError("grid", "invalid", "网格不在所选乡镇（街道）内"))
    if (values.get("latitude") is None) != (values.get("longitude") is None) and (
        "latitude" in values or "longitude" in values
    ):
        errors.append(FieldError("longitude", "invalid", "经度和纬度应同时填写或同时不填"))
    if values.get("gas_alarm") and values.get("uses_gas") is False:
        errors.append(FieldError("gas_alarm", "invalid", "不使用燃气的场所无需填写燃气泄漏报警器"))


def as_decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
