"""GET /api/v1/stats/enforcement (the figures in the seeds' terms for a region and period, with each child area)
and the public GET /api/v1/public/enforcement-decisions (行政执法公示: decided penalties, individuals' names
masked; no account, throttled per address)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, responses
from anquan.core.public import PublicThrottle
from anquan.standards.schemas import RegionCode

from . import publicity, stats


class EnforcementFiguresOut(Schema):
    inspected_enterprises: int = Field(description="检查生产经营单位（家）：期间内完成检查的企业数（去重）")
    inspection_hazards: int = Field(description="查处问题隐患（处）：期间内执法检查发现的隐患")
    documents: int = Field(description="下达执法文书（份）：期间内签发且未作废的执法文书")
    suspended_enterprises: int = Field(description="责令停产停业整顿企业（家）：期间内作出的处罚决定")
    closed_enterprises: int = Field(description="关闭取缔企业（家）")
    fines_wan_yuan: str = Field(description="罚款（万元，两位小数）：期间内决定的罚款合计")
    cases_opened: int = Field(description="立案（起）")
    referred_people: int = Field(description="移送司法机关（人）：期间内已移送的案件所涉人数")
    listed_enterprises: int = Field(description="联合惩戒企业（家）：期间内列入失信名单的企业")
    plan_enterprises: int = Field(description="年度执法计划重点企业（家）")
    plan_covered: int = Field(description="其中年内已检查（家）")
    coverage_rate: float | None = Field(description="覆盖率（%）；无计划时为空")


class EnforcementAreaOut(EnforcementFiguresOut):
    region: str
    name: str


class EnforcementStatsOut(Schema):
    region: str
    region_name: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    label: str = Field(description="期间：2026年1-11月、截至2026年12月1日")
    total: EnforcementFiguresOut
    items: list[EnforcementAreaOut] = Field(description="下一级区域逐一列出")
    summary: str = Field(
        description="检查生产经营单位N家，查处问题隐患N处，下达执法文书N份，责令N家停工停产，罚款N万元"
    )
    cases: str = Field(
        description="立案N起，责令停产整顿企业N家，关闭取缔企业N家，经济处罚N万元，移送司法机关N人，联合惩戒企业N家"
    )
    coverage: str


class EnforcementStatsParams(Schema):
    region: RegionCode | None = Field(None, description="默认调用者所在区域；管辖范围外为404")
    date_from: dt.date | None = Field(None, alias="from", description="默认当年1月1日")
    date_to: dt.date | None = Field(None, alias="to", description="默认今天；期间不超过20年")


class PublicDecisionOut(Schema):
    number: str = Field(description="行政处罚决定书文号")
    party: str = Field(description="当事人：单位名称；个人姓名隐去（张某某）")
    facts: str = Field(description="主要违法事实（摘要）")
    legal_basis: str
    penalty: str
    decided_on: dt.date
    department: str = Field(description="作出决定的机关")


class PublicDecisionFilters(Schema):
    region: RegionCode | None = Field(None, description="区域代码（含下级）；默认全省")


def register(router: Router) -> None:
    stats_path = "/stats/enforcement"

    @router.get(stats_path, response=responses(EnforcementStatsOut, 404), by_alias=True)
    def enforcement_stats(request: AuthedRequest, params: Query[EnforcementStatsParams]) -> dict[str, Any]:
        """The enforcement figures of a region and period in the seeds' terms, each child area's beside them, and
        the sentences ("截至12月1日，全市共检查生产经营单位3396家，查处问题隐患1429处，…")."""
        return stats.compute(request.user, params.region, params.date_from, params.date_to)

    public = Router(tags=["public"], auth=None)

    @public.get(
        "/enforcement-decisions",
        response=responses(Page[PublicDecisionOut], 429),
        throttle=[PublicThrottle(publicity.THROTTLE)],
    )
    def public_decisions(
        request: AuthedRequest, filters: Query[PublicDecisionFilters], paging: Query[PageParams]
    ) -> dict[str, Any]:
        """行政执法公示: the penalty decisions in force (decided cases with a decision document not voided), newest
        first; individuals' names masked. No account; throttled per address."""
        return publicity.public_page(filters.region, paging.offset, paging.limit)

    router.add_router("/public", public)
