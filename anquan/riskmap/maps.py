"""The regional four-colour map (区域安全风险四色图): counts of enterprises by risk level in each child
region of a chosen region, and the colour of each region by the stated rule (RiskMapRule).

Counted: the enterprises in the user's scope that are not closed, by their stored level
(Enterprise.risk_level, kept by levels.refresh). One grouped query over the region's code range.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.translation import gettext

from anquan.accounts.models import User
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import region_in_scope, restrict, within
from anquan.enterprises.choices import Status as EnterpriseStatus
from anquan.enterprises.models import Enterprise
from anquan.regions import shapes
from anquan.regions.choices import RegionLevel
from anquan.regions.inputs import region_field
from anquan.regions.models import Region
from anquan.standards.choices import LEVEL_ORDER
from anquan.standards.map_rules import COLORS, LEVELS, Rule, active_rule


def sees_regions(user: User) -> bool:
    """Regional maps are for supervisors: an enterprise's own users have no region to compare."""
    return has_perm(user, Perm.ENTERPRISE_VIEW) and not user.enterprise_id


def _counts(rows: dict[str, int]) -> dict[str, Any]:
    counts = {lv: rows.get(lv, 0) for lv in LEVELS}
    counts["unassessed"] = rows.get("", 0)
    return counts


def _entry(
    region: Region, rows: dict[str, int], rule: Rule, has_children: bool, drawn: frozenset[str] = frozenset()
) -> dict[str, Any]:
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


def resolve_region(user: User, code: str | None) -> Region:
    region = region_field(code, user)  # blank: the user's own
    assert region is not None
    return region


def compute(user: User, code: str | None = None) -> dict[str, Any]:
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
        parent = region.parent
        assert parent is not None  # parent_id checked above
        highlight = shapes.children_map(parent)
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
