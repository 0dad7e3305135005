"""The regional four-colour map (区域安全风险四色图): counts of enterprises by risk level in each child
region of a chosen region, and the colour of each region by the stated rule (RiskMapRule).

Counted: the enterprises in the user's scope that are not closed, by their stored level
(Enterprise.risk_level, kept by levels.refresh). One grouped query over the region's code range.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext

from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.scope import region_in_scope, restrict, within
from anquan.enterprises.choices import Status as EnterpriseStatus
from anquan.enterprises.models import Enterprise
from anquan.regions import shapes
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

    def as_dict(self) -> dict:
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


def _share(raw: dict, field: str, label: str, errors: list[FieldError]) -> Decimal | None:
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


def set_rule(raw: dict, *, actor) -> RiskMapRule:
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
    if None not in (red, orange, yellow) and not (red <= orange <= yellow):
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


def _counts(rows: dict[str, int]) -> dict:
    counts = {lv: rows.get(lv, 0) for lv in LEVELS}
    counts["unassessed"] = rows.get("", 0)
    return counts


def _entry(region: Region, rows: dict[str, int], rule: Rule, has_children: bool, drawn=frozenset()) -> dict:
    counts = _counts(rows)
    assessed = sum(counts[lv] for lv in LEVELS)
    return {
        "code": region.code,
        "name": region.name,
        "level": rule.level(counts),
        "counts": counts,
        "total": assessed + counts["unassessed"],
        "assessed": assessed,
        "shape_ids": shapes.shape_ids(region.code),
        "on_map": any(i in drawn for i in shapes.shape_ids(region.code)),
        "has_children": has_children,
    }


def resolve_region(user, code: str | None) -> Region:
    code = (code or "").strip() or user.region.code
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_scope(user, region.code):
        raise ValidationFailed([FieldError("region", "out_of_scope", "区域不存在或不在您的管辖范围内")])
    return region


def compute(user, code: str | None = None) -> dict:
    """The map of `code` (default: the user's region) as seen by `user`."""
    region = resolve_region(user, code)
    rule = active_rule(region.code)
    qs = (
        restrict(Enterprise, user)
        .filter(within(region.prefix))
        .exclude(status=EnterpriseStatus.CLOSED)
        .order_by()
    )
    children = list(Region.objects.filter(parent=region).order_by("code"))
    grouped: dict[str, dict[str, int]] = {}
    if children:
        length = len(children[0].prefix)
        # COUNT(*): every column the query reads is in the enterprise_risk_map index (index-only scan)
        rows = (
            qs.annotate(k=Substr("region_code", 1, length)).values("k", "risk_level").annotate(n=Count("*"))
        )
        for row in rows:
            grouped.setdefault(row["k"], {})[row["risk_level"]] = row["n"]
        total_rows: dict[str, int] = {}
        for by_level in grouped.values():
            for level, n in by_level.items():
                total_rows[level] = total_rows.get(level, 0) + n
    else:
        total_rows = {row["risk_level"]: row["n"] for row in qs.values("risk_level").annotate(n=Count("*"))}
    shown = shapes.children_map(region)
    drawn = shown.feature_ids if shown else frozenset()
    items = [
        _entry(c, grouped.get(c.prefix, {}), rule, c.level < RegionLevel.TOWNSHIP, drawn) for c in children
    ]
    total = _entry(region, total_rows, rule, bool(children))
    highlight = None
    if shown is None and region.parent_id is not None and region.level == RegionLevel.COUNTY:
        # no township shapes: draw the county inside its city's map instead
        highlight = shapes.children_map(region.parent)
    ancestors = [a for a in region.ancestors() if region_in_scope(user, a.code)]
    return {
        "region": {
            "code": region.code,
            "name": region.name,
            "full_name": region.full_name,
            "level": region.level,
            "shape_ids": shapes.shape_ids(region.code),
        },
        "ancestors": [{"code": a.code, "name": a.name} for a in ancestors],
        "rule": rule.as_dict(),
        "legend": [
            {"level": lv.value, "label": str(lv.label), "color": COLORS[lv.value]} for lv in LEVEL_ORDER
        ]
        + [{"level": "", "label": gettext("No assessed enterprises"), "color": COLORS[""]}],
        "total": total,
        "children": items,
        "map": None if shown is None else {"name": shown.name, "url": shown.url, "draws": "children"},
        "parent_map": None
        if highlight is None
        else {"name": highlight.name, "url": highlight.url, "draws": "region"},
    }
