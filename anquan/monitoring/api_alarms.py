"""/api/v1/monitoring/alarms: the alarms in scope (filters as on the page), one alarm, its events, and a person's
steps `POST /api/v1/monitoring/alarms/{alarm_id}/{action}` (acknowledge, dispose, close; the system's own steps
`recover` and `escalate` are refused). Mounted in anquan/api.py at /monitoring."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404
from ninja import Field, Query, Router, Schema

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope
from anquan.standards.schemas import Id, RegionCode

from . import actions
from .choices import AlarmKind, AlarmStatus, Level
from .models import Alarm
from .views_alarms import filtered
from .workflow import FLOW

router = Router(tags=["监测报警"])


class AlarmOut(Schema):
    id: int
    point: int
    point_name: str
    device_id: str
    enterprise: int
    enterprise_name: str
    installation: int | None
    region: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    status: str
    status_label: str
    message: str
    threshold: float | None
    first_value: float | None
    started_at: dt.datetime
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    recovered_at: dt.datetime | None
    closed_at: dt.datetime | None
    disposal: str
    escalated_to: str
    escalated_at: dt.datetime | None
    hazard: int | None
    actions: list[str] = Field(description="the steps the caller may take now")


class AlarmEventOut(Schema):
    id: int
    action: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    comment: str
    data: dict[str, Any]


class AlarmFilters(Schema):
    status: AlarmStatus | Literal["open"] | None = Field(None, description="open: every status but closed")
    level: Level | None = None
    kind: AlarmKind | None = None
    region: RegionCode | None = Field(None, description="its subtree")
    enterprise: str | None = Field(None, max_length=100, description="enterprise id, or part of its name")
    escalated: bool | None = Field(None, description="only the escalated ones")
    date_from: dt.date | None = Field(None, alias="from", description="raised on or after")
    date_to: dt.date | None = Field(None, alias="to", description="raised on or before")


class AlarmStepIn(Schema):
    disposal: str | None = Field(None, max_length=2000, description="dispose (required), close")
    comment: str | None = Field(None, max_length=500, description="close (required)")


def _alarms(request: AuthedRequest) -> QuerySet[Alarm]:
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404
    return filtered(request.user, {})


def alarm_out(a: Alarm, user: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "point": a.point_id,
        "point_name": a.point.name,
        "device_id": a.point.device_id,
        "enterprise": a.enterprise_id,
        "enterprise_name": a.enterprise.name,
        "installation": a.installation_id,
        "region": a.region_code,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "level": a.level,
        "level_label": a.get_level_display(),
        "status": a.status,
        "status_label": a.get_status_display(),
        "message": a.message,
        "threshold": a.threshold,
        "first_value": a.first_value,
        "started_at": a.started_at,
        "raised_at": a.raised_at,
        "acknowledged_at": a.acknowledged_at,
        "recovered_at": a.recovered_at,
        "closed_at": a.closed_at,
        "disposal": a.disposal,
        "escalated_to": a.escalated_to,
        "escalated_at": a.escalated_at,
        "hazard": a.hazard_id,
        "actions": [s for s in FLOW.available(a, user) if s in actions.PERSON_STEPS],
    }


@router.get("/alarms", response=responses(Page[AlarmOut], 404))
def list_alarms(
    request: AuthedRequest, filters: Query[AlarmFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404
    params = {
        "status": filters.status or "",
        "level": filters.level or "",
        "kind": filters.kind or "",
        "region": filters.region or "",
        "enterprise": filters.enterprise or "",
        "escalated": "1" if filters.escalated else "",
        "from": filters.date_from.isoformat() if filters.date_from else None,
        "to": filters.date_to.isoformat() if filters.date_to else None,
    }
    return page(filtered(request.user, params), paging, lambda a: alarm_out(a, request.user))


@router.get("/alarms/{alarm_id}", response=responses(AlarmOut, 404))
def get_alarm(request: AuthedRequest, alarm_id: Id) -> dict[str, Any]:
    return alarm_out(get_in_scope(_alarms(request), request.user, pk=alarm_id), request.user)


@router.get("/alarms/{alarm_id}/events", response=responses(list[AlarmEventOut], 404))
def alarm_events(request: AuthedRequest, alarm_id: Id) -> list[dict[str, Any]]:
    alarm = get_in_scope(_alarms(request), request.user, pk=alarm_id)
    return [e.as_json() for e in alarm.events.all()]


@router.post("/alarms/{alarm_id}/{action}", response=responses(AlarmOut, 400, 403, 404, 409, 415))
def alarm_step(
    request: AuthedRequest,
    alarm_id: Id,
    action: Literal["acknowledge", "dispose", "close"],
    payload: AlarmStepIn,
) -> dict[str, Any]:
    """`acknowledge` (the enterprise's managers; the offices and department above once escalated) · `dispose`
    (disposal required; the enterprise) · `close` (comment required; a stuck, offline or gap alarm also needs a
    disposal note)."""
    alarm = get_in_scope(_alarms(request), request.user, pk=alarm_id)
    actions.transition(alarm, action, actor=request.user, **payload.dict())
    return alarm_out(_alarms(request).get(pk=alarm.pk), request.user)
