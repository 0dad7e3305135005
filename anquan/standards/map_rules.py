"""The colour rule of the regional four-colour map (区域安全风险四色图) as versioned data: which share of a
region's assessed enterprises at each level colours the region (RiskMapRule), per province or national."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from .choices import LEVEL_ORDER, RiskLevel
from .models import RiskMapRule
from .services import can_configure, province_code

DEFAULT_RULE = Path(__file__).with_name("data") / "risk_map_rule.json"
LEVELS = [lv.value for lv in LEVEL_ORDER]  # red, orange, yellow, blue
COLORS = {"red": "#dc3545", "orange": "#fd7e14", "yellow": "#ffc107", "blue": "#0d6efd", "": "#dee2e6"}


@dataclass(frozen=True)
class Rule:
    red_share: Decimal
    orange_share: Decimal
    yellow_share: Decimal
    version: int  # 0 = the shipped default (no rule in the database)
    region_code: str
    source: str
    verified: bool
    id: int | None = None

    def level(self, counts: dict[str, int]) -> str:
        """The region's colour from its enterprises' counts by level ("" = none assessed). Exact:
        a share is compared as count × 100 ≥ share × assessed."""
        assessed = sum(counts.get(lv, 0) for lv in LEVELS)
        if assessed == 0:
            return ""
        cumulative = 0
        for level, share in zip(
            LEVELS[:3], (self.red_share, self.orange_share, self.yellow_share), strict=True
        ):
            cumulative += counts.get(level, 0)
            if cumulative * 100 >= share * assessed:
                return level
        return RiskLevel.BLUE.value

    def text(self) -> str:
        return (
            f"以区域内已评定风险等级的企业为基数：重大风险（红）企业占比≥{_pct(self.red_share)}为红色；"
            f"否则重大、较大风险企业合计占比≥{_pct(self.orange_share)}为橙色；"
            f"否则红、橙、黄三级企业合计占比≥{_pct(self.yellow_share)}为黄色；其余为蓝色；"
            "无已评定企业的区域不着色。"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "region_code": self.region_code,
            "red_share": float(self.red_share),
            "orange_share": float(self.orange_share),
            "yellow_share": float(self.yellow_share),
            "source": self.source,
            "verified": self.verified,
            "text": self.text(),
        }


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def default_rule() -> Rule:
    data = json.loads(DEFAULT_RULE.read_text(encoding="utf-8"))
    return Rule(
        Decimal(data["red_share"]),
        Decimal(data["orange_share"]),
        Decimal(data["yellow_share"]),
        version=0,
        region_code="",
        source=data["source"],
        verified=data["verified"],
    )


def _rule(row: RiskMapRule) -> Rule:
    return Rule(
        row.red_share,
        row.orange_share,
        row.yellow_share,
        version=row.version,
        region_code=row.region_code,
        source=row.source,
        verified=row.verified,
        id=row.pk,
    )


def active_rule(region_code: str = "") -> Rule:
    """The province's own active rule, else the national one set in the database, else the default."""
    province = province_code(region_code)
    rows = list(RiskMapRule.objects.filter(active=True, region_code__in={province, ""}))
    rows.sort(key=lambda r: r.region_code != province)
    return _rule(rows[0]) if rows else default_rule()


TEXT_MAX = 2000  # a rule's source and comment


def _share(raw: dict[str, Any], field: str, label: str, errors: list[FieldError]) -> Decimal | None:
    value = raw.get(field)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.append(FieldError(field, "invalid", f"{label}须为 0–100 之间的数"))
        return None
    if not number.is_finite() or not (0 < number <= 100):
        errors.append(FieldError(field, "out_of_range", f"{label}须大于 0 且不大于 100"))
        return None
    return number.quantize(Decimal("0.01"))


def set_rule(raw: dict[str, Any], *, actor: User) -> RiskMapRule:
    """A new version of the colour rule for a province ("" = national); the previous one is kept,
    deactivated. Shares must not decrease from red to yellow (each is cumulative)."""
    region_code = str(raw.get("region") or "").strip()
    if not can_configure(actor, region_code):
        raise NotPermitted("只有系统管理员或本省安委办可以设置四色图着色规则")
    errors: list[FieldError] = []
    if region_code and not Region.objects.filter(code=region_code, level=RegionLevel.PROVINCE).exists():
        errors.append(FieldError("region", "invalid", f"「{region_code}」不是省级行政区划代码"))
    red = _share(raw, "red_share", "红色占比", errors)
    orange = _share(raw, "orange_share", "红橙合计占比", errors)
    yellow = _share(raw, "yellow_share", "红橙黄合计占比", errors)
    if red is not None and orange is not None and yellow is not None and not (red <= orange <= yellow):
        errors.append(
            FieldError("orange_share", "not_cumulative", "占比为累计值：红色 ≤ 红橙合计 ≤ 红橙黄合计")
        )
    source = str(raw.get("source") or "").strip()
    if not source:
        errors.append(FieldError("source", "required", "请填写规则出处（文件名称或会议决定）"))
    elif len(source) > TEXT_MAX:
        errors.append(FieldError("source", "too_long", f"规则出处不能超过{TEXT_MAX}个字"))
    comment = str(raw.get("comment") or "").strip()
    if len(comment) > TEXT_MAX:
        errors.append(FieldError("comment", "too_long", f"说明不能超过{TEXT_MAX}个字"))
    if errors:
        raise ValidationFailed(errors)
    assert red is not None and orange is not None and yellow is not None  # a missing share was refused above
    try:
        with transaction.atomic():
            previous = (
                RiskMapRule.objects.select_for_update().filter(region_code=region_code, active=True).first()
            )
            last = RiskMapRule.objects.filter(region_code=region_code).order_by("-version").first()
            if previous is not None:
                before = audit.snapshot(previous)
                previous.active = False
                previous.save(update_fields=["active"])
                audit.record_update(previous, before, actor=actor, comment="被新版本取代")
            row = RiskMapRule.objects.create(
                region_code=region_code,
                version=(last.version if last else 0) + 1,
                red_share=red,
                orange_share=orange,
                yellow_share=yellow,
                source=source,
                verified=raw.get("verified") in (True, "true", "on", "1", 1),
                comment=comment,
                supersedes=previous,
                created_by=actor,
            )
            audit.record(
                AuditAction.CREATE, row, actor=actor, after=audit.snapshot(row), region_code=region_code
            )
            return row
    except IntegrityError as exc:
        raise Conflict("stale", "着色规则刚被他人修改，请刷新后重试") from exc
