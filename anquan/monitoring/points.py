"""Registering monitoring points (issue #16 item 1): create, change, retire, the thresholds a new point starts with
(by kind, from the rule data `monitoring.setpoints`: GB/T 50493-2019 5.5.2, partially verified), and the points an
installation's required monitoring (majorhazards.sensors) still lacks. Pages, the API and the Excel import all call
`clean` / `create` / `update`, so a value refused in one is refused in all, with the same Chinese message."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import CHANGE, in_scope, restrict, role_may
from anquan.enterprises.models import Enterprise
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.majorhazards.sensors import label as sensor_label
from anquan.rules.services import in_force

from . import catalogue
from .choices import DEFAULT_UNITS, PointKind
from .models import MonitoringPoint
from .rules import SETPOINTS

THRESHOLDS = ("low_low", "low", "high", "high_high")
LABELS = {
    "enterprise": "企业",
    "installation": "重大危险源",
    "device_id": "设备编号",
    "name": "监测点名称",
    "location": "安装位置",
    "kind": "监测类型",
    "unit": "计量单位",
    "low_low": "低低报阈值",
    "low": "低报阈值",
    "high": "高报阈值",
    "high_high": "高高报阈值",
    "expected_interval_s": "采集周期（秒）",
    "oel": "职业接触限值（OEL）",
}
MAX_INTERVAL = 86_400
MAX_ABS = 1e9  # a threshold beyond this is a typing error, not a process limit
PLACEHOLDER = "UNSET-"  # device id of a point generated from an installation, to be completed by the user
SETPOINT_BASIS = "GB/T 50493-2019 第5.5.2条（仅据引用核对，未与标准全文核对）"


def visible(user: Any) -> QuerySet[MonitoringPoint]:
    """The points the user may see: everyone with the monitoring view permission, through the scope."""
    if not has_perm(user, Perm.MONITORING_VIEW):
        return MonitoringPoint.objects.none()
    return restrict(MonitoringPoint, user).select_related("enterprise", "installation")


def can_configure(user: Any, enterprise: Enterprise) -> bool:
    return in_scope(enterprise, user) and role_may(user, MonitoringPoint, CHANGE)


def require_configure(user: Any, enterprise: Enterprise) -> None:
    if not can_configure(user, enterprise):
        raise NotPermitted("您无权配置该企业的监测点和数据网关")


# ---- defaults -------------------------------------------------------------------------------------------------


def defaults(kind: str, region_code: str = "", oel: float | None = None) -> dict[str, float | None]:
    """The thresholds a new point of `kind` starts with: combustible gas high/high-high in %LEL, oxygen high/low in
    %VOL, toxic gas 100 % / 200 % of the substance's OEL (none without it); other kinds have no default."""
    values: dict[str, float | None] = dict.fromkeys(THRESHOLDS)
    if kind not in (PointKind.COMBUSTIBLE_GAS, PointKind.OXYGEN, PointKind.TOXIC_GAS):
        return values
    sp = in_force(SETPOINTS, timezone.localdate(), region_code).values
    if kind == PointKind.COMBUSTIBLE_GAS:
        values.update(high=sp["combustible_high_pct_lel"], high_high=sp["combustible_high_high_pct_lel"])
    elif kind == PointKind.OXYGEN:
        values.update(high=sp["oxygen_high_pct_vol"], low=sp["oxygen_low_pct_vol"])
    elif oel is not None:
        values.update(
            high=round(oel * sp["toxic_high_pct_oel"] / 100, 6),
            high_high=round(oel * sp["toxic_high_high_pct_oel"] / 100, 6),
        )
    return values


def defaults_table(region_code: str = "") -> dict[str, dict[str, Any]]:
    """kind → {unit, thresholds, toxic: needs the OEL} for the form's script (pre-filling by kind)."""
    table: dict[str, dict[str, Any]] = {
        kind: {"unit": DEFAULT_UNITS.get(PointKind(kind), ""), "oel": kind == PointKind.TOXIC_GAS}
        | {k: v for k, v in defaults(kind, region_code).items() if v is not None}
        for kind in PointKind.values
    }
    percent = defaults(PointKind.TOXIC_GAS, region_code, 100.0)  # the thresholds in % of the OEL
    table[PointKind.TOXIC_GAS] |= {"pct_high": percent["high"], "pct_high_high": percent["high_high"]}
    return table


# ---- checking -------------------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _text(
    raw: Mapping[str, Any], field: str, errors: list[FieldError], limit: int, required: bool = False
) -> str:
    value = raw.get(field)
    if _blank(value):
        if required:
            errors.append(FieldError(field, "required", f"请填写{LABELS[field]}"))
        return ""
    text = str(value).strip()
    if len(text) > limit:
        errors.append(FieldError(field, "too_long", f"{LABELS[field]}不能超过{limit}个字符"))
        return ""
    return text


def _number(raw: Mapping[str, Any], field: str, errors: list[FieldError]) -> float | None:
    value = raw.get(field)
    if _blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).strip())
    except ValueError:
        errors.append(FieldError(field, "invalid", f"{LABELS[field]}应为数字"))
        return None
    if not math.isfinite(number) or abs(number) > MAX_ABS:
        errors.append(FieldError(field, "out_of_range", f"{LABELS[field]}超出合理范围"))
        return None
    return number


def _interval(raw: Mapping[str, Any], errors: list[FieldError]) -> int | None:
    value = raw.get("expected_interval_s")
    if _blank(value):
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(str(value).strip())
        if not number.is_integer():
            raise ValueError
    except ValueError:
        errors.append(FieldError("expected_interval_s", "invalid", "采集周期应为整数秒"))
        return None
    if not 1 <= number <= MAX_INTERVAL:
        errors.append(
            FieldError("expected_interval_s", "out_of_range", f"采集周期应在1到{MAX_INTERVAL}秒之间")
        )
        return None
    return int(number)


def check_order(values: Mapping[str, float | None], errors: list[FieldError]) -> None:
    """low_low ≤ low < high ≤ high_high, for the thresholds given (the error on the later one)."""
    given = [(name, values[name]) for name in THRESHOLDS if values.get(name) is not None]
    for i, (first, a) in enumerate(given):
        for second, b in given[i + 1 :]:
            assert a is not None and b is not None
            strict = first in ("low_low", "low") and second in ("high", "high_high")
            if (a >= b) if strict else (a > b):
                relation = "大于" if strict else "不小于"
                errors.append(
                    FieldError(second, "order", f"{LABELS[second]}应{relation}{LABELS[first]}（{a:g}）")
                )
                return


def _installation(raw: Mapping[str, Any], enterprise: Enterprise | None, errors: list[FieldError]) -> Any:
    value = raw.get("installation")
    if _blank(value):
        return None
    if isinstance(value, MajorHazardInstallation):
        inst: MajorHazardInstallation | None = value
    else:
        try:
            inst = MajorHazardInstallation.objects.filter(pk=int(str(value).strip())).first()
        except ValueError:
            inst = None
    if inst is None or enterprise is None or inst.enterprise_id != enterprise.pk:
        errors.append(FieldError("installation", "unknown_installation", "该企业没有此重大危险源"))
        return None
    return inst


def clean(
    raw: Mapping[str, Any], enterprise: Enterprise | None, point: MonitoringPoint | None = None
) -> dict[str, Any]:
    """The point's fields from `raw` (a form, JSON or a sheet row), or ValidationFailed with every field's error.
    On change (`point` given) a field absent from `raw` keeps its value. A new point without any threshold starts
    with the defaults of its kind; a new toxic gas point needs its thresholds or the substance's OEL."""
    errors: list[FieldError] = []
    if point is not None:
        current = {
            f: getattr(point, f) for f in (*THRESHOLDS, "device_id", "name", "location", "kind", "unit")
        }
        current |= {"installation": point.installation_id, "expected_interval_s": point.expected_interval_s}
        raw = current | dict(raw)
    kind = str(raw.get("kind") or "").strip()
    if kind not in PointKind.values:
        errors.append(
            FieldError(
                "kind", "invalid_choice", "监测类型应为：" + "、".join(str(lbl) for lbl in PointKind.labels)
            )
        )
    out: dict[str, Any] = {
        "device_id": _text(raw, "device_id", errors, 64, required=True),
        "name": _text(raw, "name", errors, 100, required=True),
        "location": _text(raw, "location", errors, 200),
        "unit": _text(raw, "unit", errors, 20),
        "kind": kind,
        "installation": _installation(raw, enterprise, errors),
        "expected_interval_s": _interval(raw, errors) or 10,
    }
    thresholds = {name: _number(raw, name, errors) for name in THRESHOLDS}
    oel = _number(raw, "oel", errors) if point is None else None
    if oel is not None and oel <= 0:
        errors.append(FieldError("oel", "out_of_range", "职业接触限值应大于0"))
        oel = None
    if point is None and kind in PointKind.values and all(v is None for v in thresholds.values()):
        if kind == PointKind.TOXIC_GAS and oel is None and not any(e.field == "oel" for e in errors):
            errors.append(
                FieldError(
                    "oel", "required", "有毒气体监测点请填写该物质的职业接触限值（OEL），或直接填写报警阈值"
                )
            )
        thresholds = defaults(kind, enterprise.region_code if enterprise else "", oel)
    check_order(thresholds, errors)
    if not out["unit"] and kind in PointKind.values:
        out["unit"] = DEFAULT_UNITS.get(PointKind(kind), "")
    if enterprise is not None and out["device_id"]:
        taken = MonitoringPoint.objects.filter(enterprise=enterprise, device_id=out["device_id"])
        if point is not None:
            taken = taken.exclude(pk=point.pk)
        if taken.exists():
            errors.append(
                FieldError("device_id", "duplicate", f"本企业已有设备编号为“{out['device_id']}”的监测点")
            )
    if errors:
        raise ValidationFailed(errors)
    return out | thresholds


# ---- writing --------------------------------------------------------------------------------------------------


def _saved(enterprise_id: int) -> None:
    catalogue.forget(enterprise_id)
    transaction.on_commit(lambda: catalogue.forget(enterprise_id))


@transaction.atomic
def create(enterprise: Enterprise, raw: Mapping[str, Any], *, actor: Any) -> MonitoringPoint:
    require_configure(actor, enterprise)
    values = clean(raw, enterprise)
    point = MonitoringPoint.objects.create(
        enterprise=enterprise,
        region_code=enterprise.region_code,
        supervising_department_id=enterprise.supervising_department_id,
        **values,
    )
    audit.record(AuditAction.CREATE, point, actor=actor, after=audit.snapshot(point))
    _saved(enterprise.pk)
    return point


@transaction.atomic
def update(point: MonitoringPoint, raw: Mapping[str, Any], *, actor: Any) -> MonitoringPoint:
    require_configure(actor, point.enterprise)
    if point.retired_at is not None:
        raise Conflict("retired", "该监测点已停用，不能修改")
    values = clean(raw, point.enterprise, point)
    before = audit.snapshot(point)
    for name, value in values.items():
        setattr(point, name, value)
    point.updated_at = timezone.now()
    point.save()
    after = audit.snapshot(point)
    if after != before | {"updated_at": after["updated_at"]}:
        audit.record(AuditAction.UPDATE, point, actor=actor, before=before, after=after)
    _saved(point.enterprise_id)
    return point


@transaction.atomic
def retire(point: MonitoringPoint, *, actor: Any) -> MonitoringPoint:
    """The point is taken out of service: readings for it are refused from now on, its history stays."""
    require_configure(actor, point.enterprise)
    now = timezone.now()
    if (
        MonitoringPoint.objects.filter(pk=point.pk, retired_at__isnull=True).update(
            retired_at=now, updated_at=now
        )
        != 1
    ):
        raise Conflict("retired", "该监测点已停用")
    before = audit.snapshot(point)
    point.retired_at = point.updated_at = now
    audit.record(
        AuditAction.UPDATE,
        point,
        actor=actor,
        before=before,
        after=audit.snapshot(point),
        comment="停用监测点",
    )
    _saved(point.enterprise_id)
    return point


# ---- an installation's required monitoring --------------------------------------------------------------------


def coverage(inst: MajorHazardInstallation) -> list[dict[str, Any]]:
    """Each required kind of the installation with its points in service (an empty list: none yet)."""
    points = list(inst.monitoring_points.filter(retired_at__isnull=True).order_by("device_id"))
    return [
        {**req, "points": [p for p in points if p.kind == req["kind"]]} for req in inst.required_sensors or []
    ]


@transaction.atomic
def generate_required(inst: MajorHazardInstallation, *, actor: Any) -> list[MonitoringPoint]:
    """One point for each required kind that has none in service, named after the installation, its device id a
    placeholder (`UNSET-…`) for the user to complete; the thresholds are the kind's defaults."""
    enterprise = inst.enterprise
    require_configure(actor, enterprise)
    created = []
    for item in coverage(inst):
        kind = item["kind"]
        if item["points"] or kind not in PointKind.values:
            continue
        device_id = f"{PLACEHOLDER}{inst.pk}-{kind}"
        if MonitoringPoint.objects.filter(enterprise=enterprise, device_id=device_id).exists():
            continue
        point = MonitoringPoint.objects.create(
            enterprise=enterprise,
            installation=inst,
            region_code=enterprise.region_code,
            supervising_department_id=enterprise.supervising_department_id,
            device_id=device_id,
            name=f"{inst.name}{sensor_label(kind)}"[:100],
            kind=kind,
            unit=DEFAULT_UNITS.get(PointKind(kind), ""),
            **defaults(kind, enterprise.region_code),
        )
        created.append(point)
    if created:
        audit.record_many(AuditAction.CREATE, created, actor=actor, comment="按必配监测项生成监测点")
        _saved(enterprise.pk)
    return created
