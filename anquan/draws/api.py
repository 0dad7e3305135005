"""Random draws in the API: /api/v1/random-draws (list, create a draft, one draw, its transitions, the
recomputation, a pick's result) and the public /api/v1/public/random-draws (no account; published draws only).
Mounted in anquan/api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import run_payload_once
from anquan.core.public import PublicThrottle
from anquan.core.scope import get_in_scope, restrict
from anquan.regions.inputs import subtree
from anquan.standards.schemas import Id, RegionCode

from . import public, services, tasks_api
from .choices import DrawStatus
from .models import DrawPick, RandomDraw
from .workflow import FLOW


class DrawInspectorOut(Schema):
    username: str
    name: str


class DrawPickOut(Schema):
    position: int
    enterprise: str = Field(description="USCC")
    enterprise_name: str
    inspectors: list[DrawInspectorOut]
    result: str | None = Field(description="no_problem | ordered | case; null until entered")
    result_label: str | None
    result_text: str
    result_at: dt.datetime | None
    inspection: int | None = Field(
        description="the inspection of this enterprise started from the draw, if any"
    )


class DrawConflictOut(Schema):
    inspector: int
    enterprise: int
    reason: str = Field(description="township | link | repeat")


class DrawEventOut(Schema):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class RandomDrawOut(Schema):
    id: int
    title: str
    unit: str = Field(description="the issuing unit: region and department, e.g. 濂溪区应急管理局")
    region: str
    department: str
    status: str
    status_label: str
    pool_region: str
    industry: str | None
    risk_level: str | None
    key_supervision: bool | None
    enterprise_count: int
    inspectors_per_enterprise: int
    repeat_days: int
    include_lower_regions: bool
    seed: str
    draw_date: dt.date | None
    drawn_at: dt.datetime | None
    published_at: dt.datetime | None
    completed_at: dt.datetime | None
    results_pending: int
    actions: list[str]


class RandomDrawDetailOut(RandomDrawOut):
    picks: list[DrawPickOut]
    enterprise_pool: list[int] = Field(description="enterprise ids as drawn from, sorted")
    inspector_pool: list[int] = Field(description="user ids of the certified inspectors, sorted")
    conflicts: list[DrawConflictOut]
    events: list[DrawEventOut]


class RandomDrawIn(Schema):
    title: str = Field(max_length=100)
    region: RegionCode | None = Field(None, description="the unit's region; default: the caller's")
    department: str | None = Field(None, max_length=50, description="department name; default: the caller's")
    pool_region: RegionCode | None = Field(
        None, description="enterprises in this region; default: the unit's"
    )
    industry: str | None = Field(None, max_length=40, description="industry code")
    risk_level: Literal["red", "orange", "yellow", "blue"] | None = None
    key_supervision: bool | None = None
    enterprise_count: int = Field(ge=1, le=services.MAX_ENTERPRISES)
    inspectors_per_enterprise: int = Field(2, ge=2, le=services.MAX_PER_ENTERPRISE)
    repeat_days: int | None = Field(None, ge=0, le=3650, description="default: the rule version in force")
    include_lower_regions: bool = True
    seed: str | None = Field(None, max_length=64, description="recorded; generated when not given")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class DrawTransitionIn(Schema):
    action: Literal["draw", "publish", "complete"]
    seed: str | None = Field(None, max_length=64, description="draw only: the seed (default: generated)")


class DrawResultIn(Schema):
    result: Literal["no_problem", "ordered", "case"]
    result_text: str = Field("", max_length=200)


class DrawnPickOut(Schema):
    enterprise: int = Field(description="the enterprise's id")
    inspectors: list[int] = Field(description="the inspectors' user ids, in drawing order")


class DrawRerunOut(Schema):
    equal: bool
    message: str
    seed: str
    stored: list[DrawnPickOut]
    recomputed: list[DrawnPickOut]


class DrawFilters(Schema):
    status: DrawStatus | None = Field(None, description="draft | drawn | published | completed")
    region: RegionCode | None = Field(None, description="the unit's region (its subtree)")


router = Router(tags=["random draws"])
tasks_api.register(router)  # first: /random-draws/tasks before /random-draws/{draw_id}


def _draws(request: AuthedRequest) -> QuerySet[RandomDraw]:
    return restrict(RandomDraw, request.user).select_related(
        "region", "department", "pool_region", "industry"
    )


def _draw_out(d: RandomDraw, user: User, *, full: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": d.pk,
        "title": d.title,
        "unit": d.unit_name,
        "region": d.region_code,
        "department": d.department.name,
        "status": d.status,
        "status_label": str(DrawStatus(d.status).label),
        "pool_region": d.pool_region.code,
        "industry": d.industry.code if d.industry else None,
        "risk_level": d.risk_level or None,
        "key_supervision": d.key_supervision,
        "enterprise_count": d.enterprise_count,
        "inspectors_per_enterprise": d.inspectors_per_enterprise,
        "repeat_days": d.repeat_days,
        "include_lower_regions": d.include_lower_regions,
        "seed": d.seed,
        "draw_date": d.draw_date,
        "drawn_at": d.drawn_at,
        "published_at": d.published_at,
        "completed_at": d.completed_at,
        "results_pending": d.results_pending,
        "actions": FLOW.available(d, user),
    }
    if full:
        picks = d.picks.select_related("enterprise").prefetch_related("assignments__inspector")
        body["picks"] = [_pick_out(p) for p in picks]
        body["enterprise_pool"] = d.enterprise_pool
        body["inspector_pool"] = d.inspector_pool
        body["conflicts"] = [{"inspector": i, "enterprise": e, "reason": why} for i, e, why in d.conflicts]
        body["events"] = [e.as_json() | {"from_status": e.from_status or None} for e in d.events.all()]
    return body


def _pick_out(p: DrawPick) -> dict[str, Any]:
    return {
        "position": p.position,
        "enterprise": p.enterprise.uscc,
        "enterprise_name": p.enterprise_name,
        "inspectors": [
            {"username": a.inspector.username, "name": a.inspector_name} for a in p.assignments.all()
        ],
        "result": p.result or None,
        "result_label": p.get_result_display() if p.result else None,
        "result_text": p.result_text,
        "result_at": p.result_at,
        "inspection": p.inspection_id,
    }


@router.get("/random-draws", response=responses(Page[RandomDrawOut]))
def list_draws(
    request: AuthedRequest, filters: Query[DrawFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _draws(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region:
        qs = qs.filter(subtree(filters.region))
    return page(qs, paging, lambda d: _draw_out(d, request.user))


@router.post("/random-draws", response=responses({201: RandomDrawOut}, 400, 403, 409, 415))
def create_draw(request: AuthedRequest, payload: RandomDrawIn) -> Status[dict[str, Any]]:
    """A draft draw of the caller's unit (offices name the department); drawn by the `draw` transition."""

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        draw = services.create_draft(raw, actor=request.user)
        return 201, _draw_out(_draws(request).get(pk=draw.pk), request.user)

    return Status(*run_payload_once(request, "draws.draw", payload, make, exclude_none=False))


@router.get("/random-draws/{draw_id}", response=responses(RandomDrawDetailOut, 404))
def get_draw(request: AuthedRequest, draw_id: Id) -> dict[str, Any]:
    return _draw_out(get_in_scope(_draws(request), request.user, pk=draw_id), request.user, full=True)


@router.post(
    "/random-draws/{draw_id}/transitions", response=responses(RandomDrawDetailOut, 400, 403, 404, 409, 415)
)
def draw_transition(request: AuthedRequest, draw_id: Id, payload: DrawTransitionIn) -> dict[str, Any]:
    """`draw` (draft → drawn; 409 naming the enterprise when too few inspectors without a conflict remain,
    nothing stored), `publish` (drawn → published: on the public page), `complete` (published → completed, once
    every pick has its result)."""
    draw = get_in_scope(_draws(request), request.user, pk=draw_id)
    fields = {"seed": payload.seed} if payload.seed else {}
    draw = services.transition(draw, payload.action, actor=request.user, **fields)
    return _draw_out(_draws(request).get(pk=draw.pk), request.user, full=True)


@router.post("/random-draws/{draw_id}/rerun", response=responses(DrawRerunOut, 404, 409))
def draw_rerun(request: AuthedRequest, draw_id: Id) -> dict[str, Any]:
    """Recompute the draw from its stored pools, conflicts and seed; `equal` says whether it gives the stored
    picks. Writes nothing."""
    draw = get_in_scope(_draws(request), request.user, pk=draw_id)
    check = services.recompute(draw)
    return {
        "equal": check.equal,
        "message": "结果一致" if check.equal else "结果不一致",
        "seed": draw.seed,
        "stored": [{"enterprise": e, "inspectors": list(i)} for e, i in check.stored],
        "recomputed": [{"enterprise": e, "inspectors": list(i)} for e, i in check.recomputed],
    }


@router.post(
    "/random-draws/{draw_id}/picks/{position}/result",
    response=responses(DrawPickOut, 400, 403, 404, 409, 415),
)
def draw_result(request: AuthedRequest, draw_id: Id, position: Id, payload: DrawResultIn) -> dict[str, Any]:
    """The inspection result of one pick (the unit's managers or the inspectors drawn for it; while published)."""
    draw = get_in_scope(_draws(request), request.user, pk=draw_id)
    pick = get_object_or_404(draw.picks.select_related("draw", "enterprise"), position=position)
    pick = services.enter_result(pick, payload.dict(), actor=request.user)
    return _pick_out(DrawPick.objects.select_related("enterprise").get(pk=pick.pk))


# --- public (一公开): no account -----------------------------------------------------------------------

public_router = Router(tags=["public"], auth=None)


class PublicDrawPickOut(Schema):
    enterprise_name: str
    inspectors: list[str] = Field(description="the inspectors' names only")
    result_label: str | None
    result_text: str


class PublicDrawOut(Schema):
    id: int
    title: str
    unit: str
    region: str
    draw_date: dt.date | None
    published_at: dt.datetime | None
    status_label: str
    picks: list[PublicDrawPickOut]


class PublicDrawFilters(Schema):
    region: RegionCode | None = Field(
        None, description="region code (its subtree); default: the whole province"
    )


@public_router.get(
    "/random-draws",
    response=responses(Page[PublicDrawOut], 429),
    throttle=[PublicThrottle(public.THROTTLE)],
)
def public_draws(
    request: AuthedRequest, filters: Query[PublicDrawFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """The published draws of a region (一公开): date, unit, the enterprises drawn, the inspectors' names and the
    results once entered; no other personal data. Throttled per address."""
    return page(public.published(filters.region), paging, public.as_json)
