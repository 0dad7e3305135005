"""Grid units (regions.Grid): made and changed by the offices of the area, an enterprise's internal units by its
own managers; coverage of an area (villages without a grid, grids without a worker, enterprises without an
internal grid list); and the monthly allowances of village safety officers (rule data grids.allowance)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, Role, has_perm
from anquan.core.scope import region_in_scope, restrict, within
from anquan.enterprises.models import Enterprise
from anquan.regions.choices import GridLevel, RegionLevel
from anquan.regions.models import Grid, Region
from anquan.rules.services import RuleMissing, in_force

from .models import Allowance
from .rules import ALLOWANCE

NAME_MAX, HEAD_MAX, PHONE_MAX, NOTE_MAX = 100, 50, 20, 300
PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
WORKERS_MAX = 50
LEVEL_NAMES = {
    GridLevel.TOWNSHIP: "乡镇（街道）网格",
    GridLevel.VILLAGE: "村（社区）网格",
    GridLevel.ENTERPRISE: "企业内部网格单元",
}
HOTLINE = "12350"  # 安全生产举报投诉电话 (reference §C1)


def can_manage(user: Any, grid: Grid | None = None, enterprise: Enterprise | None = None) -> bool:
    """Offices manage the grids of their area; an enterprise's managers its own internal units."""
    enterprise = enterprise or (grid.enterprise if grid is not None else None)
    if getattr(user, "enterprise_id", None):
        return (
            enterprise is not None
            and user.enterprise_id == enterprise.pk
            and has_perm(user, Perm.ENTERPRISE_CHANGE)
        )
    return has_perm(user, Perm.ORG_MANAGE)


def _text(
    raw: Mapping[str, Any], key: str, label: str, limit: int, errors: list[FieldError], required: bool = False
) -> str:
    value = str(raw.get(key) or "").strip()
    if required and not value:
        errors.append(FieldError(key, "required", f"请填写{label}"))
    elif len(value) > limit:
        errors.append(FieldError(key, "too_long", f"{label}不能超过{limit}个字"))
    return value


def _place(
    raw: Mapping[str, Any], level: str, actor: Any, errors: list[FieldError]
) -> tuple[Region | None, Enterprise | None]:
    if level == GridLevel.ENTERPRISE:
        uscc = str(raw.get("enterprise") or "").strip().upper()
        if not uscc and getattr(actor, "enterprise_id", None):
            return actor.enterprise.region, actor.enterprise
        enterprise = (
            restrict(Enterprise, actor).filter(uscc=uscc).select_related("region").first() if uscc else None
        )
        if enterprise is None:
            errors.append(
                FieldError("enterprise", "unknown_enterprise", "请填写管辖范围内企业的统一社会信用代码")
            )
            return None, None
        return enterprise.region, enterprise
    code = str(raw.get("region") or "").strip()
    region = Region.objects.filter(code=code).first() if code else None
    want = RegionLevel.TOWNSHIP if level == GridLevel.TOWNSHIP else RegionLevel.VILLAGE
    if region is None or not region_in_scope(actor, region.code):
        errors.append(FieldError("region", "out_of_scope", "请选择您管辖范围内的乡镇（街道）或村（社区）"))
    elif region.level != want:
        label = "乡镇（街道）" if want == RegionLevel.TOWNSHIP else "村（社区）"
        errors.append(FieldError("region", "wrong_level", f"{LEVEL_NAMES[level]}须设在{label}"))
        region = None
    return region, None


def eligible_workers(region: Region) -> QuerySet[User]:
    """Grid workers whose own area holds `region` or lies inside it (a township's workers serve its villages)."""
    township = region.code[:9] if region.level >= RegionLevel.TOWNSHIP else region.code
    return User.objects.filter(role=Role.GRID_WORKER, is_active=True).filter(within(township, "region_code"))


def _workers(raw: Mapping[str, Any], region: Region | None, errors: list[FieldError]) -> list[User] | None:
    if "workers" not in raw:
        return None
    values = raw.get("workers") or []
    if isinstance(values, str | int):
        values = [values]
    ids = []
    for value in values:
        if not str(value).isdigit():
            errors.append(FieldError("workers", "invalid", "网格员须从列表中选择"))
            return None
        ids.append(int(value))
    if len(ids) > WORKERS_MAX:
        errors.append(FieldError("workers", "too_many", f"一个网格至多{WORKERS_MAX}名网格员"))
        return None
    if region is None:
        return None
    found = list(eligible_workers(region).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        errors.append(FieldError("workers", "not_eligible", "所选人员须为本乡镇（街道）在岗的网格员"))
    return found


def _head(raw: Mapping[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "head_name" in raw:
        out["head_name"] = _text(raw, "head_name", "网格负责人", HEAD_MAX, errors)
    if "head_phone" in raw:
        phone = _text(raw, "head_phone", "负责人电话", PHONE_MAX, errors)
        if phone and not PHONE.match(phone):
            errors.append(FieldError("head_phone", "invalid", "负责人电话只能包含数字、空格和 + - ( )"))
        out["head_phone"] = phone
    if "scope_note" in raw:
        out["scope_note"] = _text(raw, "scope_note", "网格范围", NOTE_MAX, errors)
    return out


@transaction.atomic
def create_grid(raw: Mapping[str, Any], *, actor: Any) -> Grid:
    """raw: level, region (code; township or village grids) or enterprise (USCC; an enterprise's own managers
    may leave it out), name, head_name, head_phone, scope_note, workers (user ids)."""
    errors: list[FieldError] = []
    level = str(raw.get("level") or "").strip()
    if level not in GridLevel.values:
        errors.append(
            FieldError(
                "level", "invalid_choice", "网格层级须为乡镇（街道）网格、村（社区）网格或企业内部网格单元"
            )
        )
        raise ValidationFailed(errors)
    if getattr(actor, "enterprise_id", None) and level != GridLevel.ENTERPRISE:
        raise ValidationFailed([FieldError("level", "not_permitted", "企业只能设立本企业的内部网格单元")])
    region, enterprise = _place(raw, level, actor, errors)
    name = _text(raw, "name", "网格名称", NAME_MAX, errors, required=True)
    head = _head(raw, errors)
    workers = _workers(raw, region, errors)
    if errors:
        raise ValidationFailed(errors)
    assert region is not None
    if not can_manage(actor, enterprise=enterprise):
        raise NotPermitted("您无权设立该网格")
    prefix = f"{enterprise.uscc}E" if enterprise else f"{region.code}G"
    number = Grid.objects.filter(code__startswith=prefix).count() + 1
    while Grid.objects.filter(code=f"{prefix}{number:03d}").exists():
        number += 1
    grid = Grid.objects.create(
        region=region, enterprise=enterprise, level=level, name=name, code=f"{prefix}{number:03d}", **head
    )
    if workers:
        grid.workers.set(workers)
    audit.record_create(grid, actor=actor, comment=_workers_note(grid))
    return grid


def _workers_note(grid: Grid) -> str:
    names = [u.full_name or u.username for u in grid.workers.order_by("pk")]
    return "网格员：" + ("、".join(names) if names else "无")


@transaction.atomic
def update_grid(grid: Grid, raw: Mapping[str, Any], *, actor: Any) -> Grid:
    """Change name, head, scope note and/or workers (keys left out stay); level and place stay."""
    grid = Grid.objects.select_for_update(of=("self",)).select_related("region", "enterprise").get(pk=grid.pk)
    if not can_manage(actor, grid):
        raise NotPermitted("您无权修改该网格")
    errors: list[FieldError] = []
    fields = _head(raw, errors)
    if "name" in raw:
        fields["name"] = _text(raw, "name", "网格名称", NAME_MAX, errors, required=True)
    workers = _workers(raw, grid.region, errors) if grid.level != GridLevel.ENTERPRISE else None
    if errors:
        raise ValidationFailed(errors)
    before = audit.snapshot(grid)
    before_workers = _workers_note(grid)
    for key, value in fields.items():
        setattr(grid, key, value)
    grid.save()
    if workers is not None:
        grid.workers.set(workers)
    after_workers = _workers_note(grid)
    audit.record(
        AuditAction.UPDATE,
        grid,
        actor=actor,
        before=before,
        after=audit.snapshot(grid),
        comment=after_workers if after_workers != before_workers else "",
    )
    return grid


# --- coverage --------------------------------------------------------------------------------------

SHOWN = 50


@dataclass
class Coverage:
    villages_without_grid: list[Region]
    villages_without_grid_count: int
    grids_without_worker: list[Grid]
    grids_without_worker_count: int
    enterprises_without_units: list[Enterprise]
    enterprises_without_units_count: int


def coverage(user: Any, region: Region) -> Coverage:
    """What the area lacks, in the user's scope: the first SHOWN of each, and how many in all."""
    grids = restrict(Grid, user).filter(within(region.prefix))
    villages = Region.objects.filter(within(region.prefix, "code"), level=RegionLevel.VILLAGE).exclude(
        code__in=grids.filter(level=GridLevel.VILLAGE).values("region_code")
    )
    empty = grids.filter(
        level__in=[GridLevel.TOWNSHIP, GridLevel.VILLAGE], workers__isnull=True
    ).select_related("region")
    enterprises = (
        restrict(Enterprise, user)
        .filter(within(region.prefix))
        .exclude(pk__in=Grid.objects.filter(level=GridLevel.ENTERPRISE).values("enterprise_id"))
    )
    return Coverage(
        list(villages.order_by("code")[:SHOWN]),
        villages.count(),
        list(empty.order_by("code")[:SHOWN]),
        empty.count(),
        list(enterprises.order_by("name")[:SHOWN]),
        enterprises.count(),
    )


# --- allowances ------------------------------------------------------------------------------------


def default_allowance(on: dt.date, region_code: str) -> tuple[Decimal | None, Any]:
    try:
        version = in_force(ALLOWANCE, on, region_code)
    except RuleMissing:
        return None, None
    return Decimal(str(version.values["monthly_yuan"])), version


def month_of(value: Any, errors: list[FieldError]) -> dt.date | None:
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
    if (
        not match
        or not 1 <= int(match[2]) <= 12
        or not 2000 <= int(match[1]) <= timezone.localdate().year + 1
    ):
        errors.append(FieldError("month", "invalid", "月份格式应为 YYYY-MM"))
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


@transaction.atomic
def record_allowances(grid: Grid, raw: Mapping[str, Any], *, actor: Any) -> list[Allowance]:
    """raw: month (YYYY-MM), amount (yuan; default the rule data's). One row per worker of a village grid and
    month; a month already recorded for a worker is left as it is. Offices of the area only."""
    if not has_perm(actor, Perm.ORG_MANAGE) or getattr(actor, "enterprise_id", None):
        raise NotPermitted("只有乡镇及以上安委办可以登记安全员补助")
    errors: list[FieldError] = []
    month = month_of(raw.get("month"), errors)
    if grid.level != GridLevel.VILLAGE:
        errors.append(FieldError("month", "not_village", "补助只登记给村（社区）网格的兼职安全员"))
    default, version = default_allowance(month or timezone.localdate(), grid.region_code)
    amount = default
    if str(raw.get("amount") or "").strip():
        try:
            amount = Decimal(str(raw["amount"]).strip())
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not 0 <= amount <= 100000:
            errors.append(FieldError("amount", "invalid", "补助金额应为0到100000之间的数字（元）"))
    if amount is None and not errors:
        errors.append(FieldError("amount", "required", "请填写补助金额"))
    if errors:
        raise ValidationFailed(errors)
    assert month is not None and amount is not None
    made = []
    for worker in grid.workers.order_by("pk"):
        row, new = Allowance.objects.get_or_create(
            grid=grid,
            worker=worker,
            month=month,
            defaults={
                "amount": amount.quantize(Decimal("0.01")),
                "rule_version": version if amount == default else None,
                "recorded_by": actor,
            },
        )
        if new:
            audit.record_create(row, actor=actor, comment=f"{month:%Y年%m月}安全员补助")
            made.append(row)
    return made
