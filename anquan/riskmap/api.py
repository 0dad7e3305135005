"""The regional four-colour map as statistics (/api/v1/stats/risk-map)."""

from __future__ import annotations

from typing import Any

from ninja import Field, Query, Router, Schema

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.errors import NotPermitted
from anquan.standards.api import MapRuleValuesOut
from anquan.standards.schemas import RegionCode

from . import maps

stats_router = Router(tags=["statistics"])


class MapRegionOut(Schema):
    code: str
    name: str
    full_name: str
    level: int
    shape_ids: list[str]


class MapAncestorOut(Schema):
    code: str
    name: str


class MapLegendOut(Schema):
    level: str
    label: str
    color: str


class MapLevelCountsOut(Schema):
    red: int
    orange: int
    yellow: int
    blue: int
    unassessed: int


class MapAreaOut(Schema):
    code: str
    name: str
    level: str
    counts: MapLevelCountsOut
    total: int
    assessed: int
    shape_ids: list[str]
    on_map: bool
    has_children: bool


class MapShapesOut(Schema):
    name: str
    url: str
    draws: str


class RiskMapOut(Schema):
    region: MapRegionOut
    ancestors: list[MapAncestorOut]
    rule: MapRuleValuesOut
    legend: list[MapLegendOut]
    total: MapAreaOut
    children: list[MapAreaOut]
    map: MapShapesOut | None
    parent_map: MapShapesOut | None


class RiskMapParams(Schema):
    region: RegionCode | None = Field(None, description="region code; default: the caller's region")


@stats_router.get("/risk-map", response=responses(RiskMapOut, 403))
def risk_map_stats(request: AuthedRequest, params: Query[RiskMapParams]) -> dict[str, Any]:
    """Enterprises by risk level in each child region of `region` (default: the user's own), each
    region coloured by the stated rule (`rule.text`); `map` names the boundary file that draws the
    children (`shape_ids` of a child are the feature ids that stand for it)."""
    if not maps.sees_regions(request.user):
        raise NotPermitted("企业用户不能查看区域风险四色图")
    return maps.compute(request.user, params.region)
