"""A 查封、扣押's life over the API (mounted under /api/v1/inspections by api.py; seizure.py):

- `GET  /{id}/seizures`                          the inspection's seizures with their periods
- `POST /{id}/seizures/{seizure_id}/extension`   经负责人批准延长 (with its reason, within the rule's limit)
- `POST /{id}/seizures/{seizure_id}/release`     解除 (the date and what was released)"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from anquan.core.contract import responses
from anquan.core.inputs import LONG_TEXT
from anquan.core.scope import get_in_scope, restrict
from anquan.core.workdays import countdown
from anquan.standards.schemas import Id

from . import seizure
from .models import Inspection, Seizure

router = Router(tags=["inspections"])


class SeizureOut(Schema):
    id: int
    measure: str = Field(description="查封或扣押")
    items: list[str] = Field(description="查封扣押的设施、设备、器材、物品或场所")
    decision_number: str = Field(description="强制措施决定书文号")
    starts_on: dt.date
    period_days: int
    extended_days: int
    extension_reason: str
    ends_on: dt.date = Field(description="期限届满日（含延长）")
    countdown: str = Field(description="剩余 N 天 / 今天到期 / 超期 N 天（在押时）")
    status: str = Field(description="in_force 在押 | released 已解除")
    status_label: str
    released_on: dt.date | None
    released_items: list[str]
    release_note: str
    max_extension_days: int = Field(description="规则版本允许的延长天数上限")
    rule_unverified: bool = Field(description="所用规则版本未核实（第18号令条文未取得）")
    actions: list[str] = Field(description="当前用户可执行的操作：extend、release")


class ExtensionIn(Schema):
    days: int = Field(ge=1, le=365, description="延长天数，合计不超过规则版本的上限（现行30日）")
    reason: str = Field(max_length=LONG_TEXT, description="延长理由")
    approved_on: dt.date | None = Field(None, description="负责人批准日期，不填为今天")


class ReleaseIn(Schema):
    released_on: dt.date | None = Field(None, description="解除日期，不填为今天")
    items: list[str] | None = Field(
        None, max_length=seizure.MAX_ITEMS, description="解除的物品（须在清单中），不填为全部"
    )
    note: str | None = Field(None, max_length=LONG_TEXT)


def out(s: Seizure, user: Any) -> dict[str, Any]:
    limits = s.rule_version.typed
    return {
        "id": s.pk,
        "measure": s.measure,
        "items": s.items,
        "decision_number": s.document.number,
        "starts_on": s.starts_on,
        "period_days": s.period_days,
        "extended_days": s.extended_days,
        "extension_reason": s.extension_reason,
        "ends_on": s.ends_on,
        "countdown": countdown(s.ends_on, timezone.localdate())[0] if s.status == "in_force" else "",
        "status": s.status,
        "status_label": s.get_status_display(),
        "released_on": s.released_on,
        "released_items": s.released_items,
        "release_note": s.release_note,
        "max_extension_days": getattr(limits, "max_extension_days", 0),
        "rule_unverified": s.rule_version.verified != "verified",
        "actions": seizure.SEIZURES.available(s, user),
    }


def _seizure(request: HttpRequest, inspection_id: int, seizure_id: int) -> Seizure:
    insp = get_in_scope(restrict(Inspection, request.user), request.user, pk=inspection_id)
    return get_in_scope(seizure.scoped(request.user).filter(inspection=insp), request.user, pk=seizure_id)


def seizures(request: HttpRequest, inspection_id: Id) -> Any:
    """The 查封、扣押 the inspection decided, the soonest to end first. Routed by api_reviews.py, whose router
    holds the POST of the same path (one router per path, or the other method answers 405)."""
    insp = get_in_scope(restrict(Inspection, request.user), request.user, pk=inspection_id)
    return [out(s, request.user) for s in seizure.scoped(request.user).filter(inspection=insp)]


@router.post(
    "/{inspection_id}/seizures/{seizure_id}/extension",
    response=responses(SeizureOut, 400, 403, 404, 409),
)
def extend(request: HttpRequest, inspection_id: Id, seizure_id: Id, payload: ExtensionIn) -> Any:
    """经负责人批准延长 the period (an inspector of the inspection or the unit's head); beyond the rule version's
    extension limit 422 naming the days left; once fully extended 409."""
    found = _seizure(request, inspection_id, seizure_id)
    stored = seizure.extend(found, payload.dict(exclude_none=True), actor=request.user)
    return out(seizure.scoped(request.user).get(pk=stored.pk), request.user)


@router.post(
    "/{inspection_id}/seizures/{seizure_id}/release",
    response=responses(SeizureOut, 400, 403, 404, 409),
)
def release(request: HttpRequest, inspection_id: Id, seizure_id: Id, payload: ReleaseIn) -> Any:
    """解除 (all the things, or those named); a released one answers 409."""
    found = _seizure(request, inspection_id, seizure_id)
    stored = seizure.release(found, payload.dict(exclude_none=True), actor=request.user)
    return out(seizure.scoped(request.user).get(pk=stored.pk), request.user)
