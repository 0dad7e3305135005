"""`GET /api/v1/stats/monitoring` (issue #16 item 4): the early-warning figures of a region and period for the
callers' clients (the same figures as the page `/monitoring/stats/`, definitions in stats.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import responses
from anquan.core.permissions import Perm, has_perm
from anquan.standards.schemas import RegionCode

from . import views_board

stats_router = Router(tags=["监测预警"])


class MonitoringStatsParams(Schema):
    region: RegionCode | None = Field(None, description="默认调用者所在区域；管辖范围外为404")
    date_from: dt.date | None = Field(None, alias="from", description="默认本月1日")
    date_to: dt.date | None = Field(None, alias="to", description="默认今天")


class MonitoringCountOut(Schema):
    level: str | None = None
    kind: str | None = None
    region: str | None = None
    label: str
    count: int


class MonitoringEnterpriseAlarmsOut(Schema):
    enterprise_id: int
    name: str
    count: int
    red: int
    orange: int
    yellow: int
    blue: int


class MonitoringInstallationAlarmsOut(Schema):
    installation_id: int
    name: str
    enterprise: str
    count: int


class MonitoringTimesOut(Schema):
    acknowledged: int = Field(description="期间报警中已确认的条数")
    acknowledge_median_min: float | None = Field(description="触发至确认用时中位数（分钟）")
    acknowledge_p90_min: float | None = Field(description="触发至确认用时90%分位（最近秩，分钟）")
    closed: int
    dispose_median_min: float | None = Field(description="确认至关闭用时中位数（分钟）")
    dispose_p90_min: float | None


class MonitoringRepeatedOut(Schema):
    point_id: int
    name: str
    device_id: str
    enterprise: str
    count: int


class MonitoringOnlineOut(Schema):
    enterprise_id: int
    name: str
    points: int
    expected: int = Field(description="应收数据条数")
    received: int = Field(description="实收数据条数（小时汇总）")
    online_rate: float | None = Field(description="在线率（%）")
    completeness: float | None = Field(description="数据完整率（%）")


class MonitoringListedOut(Schema):
    enterprise_id: int
    name: str
    offline_points: int
    stuck_points: int
    online_rate: float | None
    reasons: list[str]


class MonitoringStatsOut(Schema):
    region: str
    region_name: str
    start: dt.date
    end: dt.date
    total: int
    by_region: list[MonitoringCountOut]
    by_enterprise: list[MonitoringEnterpriseAlarmsOut]
    by_installation: list[MonitoringInstallationAlarmsOut]
    by_level: list[MonitoringCountOut]
    by_kind: list[MonitoringCountOut]
    times: MonitoringTimesOut
    repeated: list[MonitoringRepeatedOut]
    online: list[MonitoringOnlineOut]
    online_rate_line: float
    listed: list[MonitoringListedOut] = Field(description="列入执法关注的企业")


@stats_router.get("/monitoring", response=responses(MonitoringStatsOut, 404), by_alias=True)
def monitoring_stats(request: AuthedRequest, params: Query[MonitoringStatsParams]) -> dict[str, Any]:
    """Alarms raised in the period by region, enterprise, installation, level and kind; acknowledgement and
    disposal times; repeated alarms; each enterprise's online rate and data completeness; the enterprises listed
    for enforcement (persistent offline or stuck sensors, online rate under the rule's line)."""
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404
    region, start, end = views_board.period(request.user, params.region, params.date_from, params.date_to)
    return views_board.figures(request.user, region, start, end)
