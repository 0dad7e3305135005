"""GET /api/v1/stats/enforcement-loops: the three-step loop's figures (loops.py) of a region and, optionally, a
period — the same counts the dashboard /enforcement/loops/ shows, by child region and by department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.errors import NotPermitted
from anquan.standards.schemas import RegionCode

from . import loops
from .stats import resolve_region
from .views_loops import LOOP_ROLES


class LoopFiguresOut(Schema):
    findings: int = Field(description="检查发现问题的检查（次）")
    awaiting_order: int = Field(description="其中未下达整改指令")
    pending: int = Field(description="待复查")
    overdue: int = Field(description="逾期未复查")
    stuck: int = Field(description="复查未整改且未立案")
    open: int = Field(description="未闭环：待复查或未整改未立案")


class LoopRowOut(Schema):
    key: str = Field(description="区域代码或部门编号")
    name: str
    figures: LoopFiguresOut
    open_cases: int = Field(description="未结案件（起）")


class StageOut(Schema):
    stage: str
    label: str
    cases: int


class LoopStatsOut(Schema):
    region: str
    region_name: str
    from_: dt.date | None = Field(alias="from", description="期间起（不填为不限）")
    to: dt.date | None
    totals: LoopFiguresOut
    stages: list[StageOut] = Field(description="案件按办案阶段")
    children: list[LoopRowOut] = Field(description="下一级区域逐一列出")
    departments: list[LoopRowOut] = Field(description="按执法部门")


class LoopStatsParams(Schema):
    region: RegionCode | None = Field(None, description="默认调用者所在区域；管辖范围外为404")
    date_from: dt.date | None = Field(
        None, alias="from", description="检查完成、案件申请的期间起；不填则不限期间"
    )
    date_to: dt.date | None = Field(None, alias="to", description="期间止（默认今天）；期间不超过20年")


def _row(row: loops.Row) -> dict[str, Any]:
    return {"key": row.key, "name": row.name, "figures": row.figures, "open_cases": row.cases}


def register(router: Router) -> None:
    @router.get("/stats/enforcement-loops", response=responses(LoopStatsOut, 403, 404), by_alias=True)
    def enforcement_loops(request: AuthedRequest, params: Query[LoopStatsParams]) -> dict[str, Any]:
        """Open loops, overdue reviews and cases by stage of a region (its subtree), each child region's and
        department's beside them; the caller's department only for a department supervisor."""
        user = request.user
        if getattr(user, "role", None) not in LOOP_ROLES:
            raise NotPermitted("只有各级安委办和部门负责人可以查看执法闭环")
        region = resolve_region(user, params.region)
        department = getattr(user, "department_id", None)
        span = loops.period(params.date_from, params.date_to)
        today = timezone.localdate()
        return {
            "region": region.code,
            "region_name": region.name,
            "from": span.start if span else None,
            "to": span.end if span else None,
            "totals": loops.totals(user, region, department, today, span),
            "stages": [
                {"stage": s, "label": label, "cases": n}
                for s, label, n in loops.by_stage(user, region, department, span)
            ],
            "children": [_row(r) for r in loops.by_child(user, region, department, today, span)],
            "departments": [_row(r) for r in loops.by_department(user, region, department, today, span)],
        }
