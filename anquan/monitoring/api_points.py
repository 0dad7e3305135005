"""/api/v1/monitoring/points: the monitoring points in scope (list, detail), registering one (thresholds default by
kind from `monitoring.setpoints` when none is given; a toxic gas point needs `oel` then), changing one (only the
fields sent), retiring one. Refusals: 422 with each field's Chinese message, 403 for a role that may not configure,
404 out of scope, 409 for a retired point."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.scope import get_in_scope
from anquan.riskpoints.services import resolve_enterprise
from anquan.standards.schemas import Id

from . import points
from .models import MonitoringPoint

router = Router(tags=["监测点"])

# the values of choices.PointKind and PointState, inline (no schema named after a choices class: names stay unique)
MonitoringKind = Literal[
    "combustible_gas", "toxic_gas", "oxygen", "temperature", "pressure", "liquid_level", "flow", "video"
]
MonitoringState = Literal["normal", "alarm", "offline", "maintenance"]


class MonitoringPointFields(Schema):
    installation: Id | None = Field(None, description="重大危险源（危险源单元）的id，须属于该企业")
    device_id: str | None = Field(None, max_length=64, description="网关上报时使用的设备编号，企业内唯一")
    name: str | None = Field(None, max_length=100)
    location: str | None = Field(None, max_length=200)
    kind: MonitoringKind | None = Field(None, description="监测类型")
    unit: str | None = Field(None, max_length=20, description="默认按类型：%LEL、ppm、%VOL、℃、MPa、m、m³/h")
    low_low: float | None = Field(None, allow_inf_nan=False)
    low: float | None = Field(None, allow_inf_nan=False)
    high: float | None = Field(None, allow_inf_nan=False)
    high_high: float | None = Field(None, allow_inf_nan=False)
    expected_interval_s: int | None = Field(None, ge=1, le=points.MAX_INTERVAL, description="采集周期（秒）")


class MonitoringPointIn(MonitoringPointFields):
    enterprise: str | None = Field(None, max_length=18, description="企业统一社会信用代码；企业用户可省略")
    oel: float | None = Field(
        None, gt=0, allow_inf_nan=False, description="有毒气体：职业接触限值，未给阈值时按100%/200%计算"
    )


class MonitoringPointOut(Schema):
    id: int
    enterprise: str = Field(description="USCC")
    enterprise_name: str
    installation: int | None
    installation_name: str | None
    region: str
    device_id: str
    name: str
    location: str
    kind: str
    kind_label: str
    unit: str
    low_low: float | None
    low: float | None
    high: float | None
    high_high: float | None
    expected_interval_s: int
    state: str
    state_label: str
    retired_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class MonitoringPointFilters(Schema):
    enterprise: str | None = Field(None, max_length=18, description="USCC")
    installation: Id | None = None
    kind: MonitoringKind | None = None
    state: MonitoringState | None = None
    retired: bool | None = Field(False, description="false（默认）在用；true 已停用")


def point_out(p: MonitoringPoint) -> dict[str, Any]:
    return {
        "id": p.pk,
        "enterprise": p.enterprise.uscc,
        "enterprise_name": p.enterprise.name,
        "installation": p.installation_id,
        "installation_name": p.installation.name if p.installation is not None else None,
        "region": p.region_code,
        **{f: getattr(p, f) for f in ("device_id", "name", "location", "kind", "unit", *points.THRESHOLDS)},
        "kind_label": str(p.get_kind_display()),
        "expected_interval_s": p.expected_interval_s,
        "state": p.state,
        "state_label": str(p.get_state_display()),
        "retired_at": p.retired_at,
        "created_at": p.created_at,
        "updated_at": p.updated_at,
    }


def _points(request: AuthedRequest) -> QuerySet[MonitoringPoint]:
    return points.visible(request.user)


@router.get("/points", response=responses(Page[MonitoringPointOut]))
def list_points(
    request: AuthedRequest, filters: Query[MonitoringPointFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _points(request)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.strip().upper())
    if filters.installation:
        qs = qs.filter(installation_id=filters.installation)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.retired is not None:
        qs = qs.filter(retired_at__isnull=not filters.retired)
    return page(qs, paging, point_out)


@router.post("/points", response=responses({201: MonitoringPointOut}, 400, 403, 415))
def create_point(request: AuthedRequest, payload: MonitoringPointIn) -> Status[dict[str, Any]]:
    """Register a point of an enterprise (region and supervising department copied from it)."""
    raw = payload.dict(exclude_none=True)
    errors: list[FieldError] = []
    enterprise = resolve_enterprise(raw.pop("enterprise", None), request.user, errors)
    if enterprise is None:
        raise ValidationFailed(errors)
    point = points.create(enterprise, raw, actor=request.user)
    return Status(201, point_out(_points(request).get(pk=point.pk)))


@router.get("/points/{monitoring_point_id}", response=responses(MonitoringPointOut, 404))
def get_point(request: AuthedRequest, monitoring_point_id: Id) -> dict[str, Any]:
    return point_out(get_in_scope(_points(request), request.user, pk=monitoring_point_id))


@router.patch(
    "/points/{monitoring_point_id}", response=responses(MonitoringPointOut, 400, 403, 404, 409, 415)
)
def update_point(
    request: AuthedRequest, monitoring_point_id: Id, payload: MonitoringPointFields
) -> dict[str, Any]:
    """Change the fields sent (null clears an optional one); the thresholds are checked together with those kept."""
    point = get_in_scope(_points(request), request.user, pk=monitoring_point_id)
    points.update(point, payload.dict(exclude_unset=True), actor=request.user)
    return point_out(_points(request).get(pk=point.pk))


@router.post("/points/{monitoring_point_id}/retire", response=responses(MonitoringPointOut, 403, 404, 409))
def retire_point(request: AuthedRequest, monitoring_point_id: Id) -> dict[str, Any]:
    """Take the point out of service: its readings are refused from now on; its history stays."""
    point = get_in_scope(_points(request), request.user, pk=monitoring_point_id)
    points.retire(point, actor=request.user)
    return point_out(_points(request).get(pk=point.pk))
