"""/api/v1 routes of tipoffs: `router` (signed-in users and tokens: the tip-offs in scope, their transitions,
internal notes, the reporter's identity (audited) and the statistics) and `public_router` (mounted at /public, no
account: submit a tip-off, read its stage by tracking code; throttled per address)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.accounts.lockout import client_ip
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import fingerprint, key_from
from anquan.core.scope import get_in_scope, restrict
from anquan.regions.inputs import subtree
from anquan.standards.schemas import Id, RegionCode

from . import actions, excel, public, services
from .choices import Kind
from .choices import Status as TipOffStatus
from .models import TipOff
from .presenting import tipoff_out

router = Router(tags=["举报"])
public_router = Router(tags=["举报（公众）"], auth=None)


# ---- schemas ---------------------------------------------------------------------------------------------------


class PublicTipOffIn(Schema):
    kind: Literal["hazard", "violation", "concealed_accident"] = Field(
        description="hazard 事故隐患 | violation 非法违法生产经营建设 | concealed_accident 瞒报谎报事故"
    )
    description: str = Field(max_length=2000, description="举报内容")
    region: RegionCode | None = Field(None, description="事发地乡镇（街道）或村代码；给出 venue 时可省略")
    address: str | None = Field(None, max_length=200, description="地址或场所名称；给出 venue 时可省略")
    latitude: Decimal | None = Field(None, description="地图上的点（可选）")
    longitude: Decimal | None = None
    venue: str | None = Field(None, max_length=40, description="九小场所的公开码（扫码举报）")
    reporter_name: str | None = Field(None, max_length=50, description="实名举报可领奖：姓名（加密保存）")
    reporter_phone: str | None = Field(
        None, max_length=20, description="实名举报可领奖：手机号码（加密保存）"
    )
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class PublicTipOffOut(Schema):
    tracking_code: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    step: int = Field(description="0 已收到 · 1 已受理 · 2 核查中 · 3 已办结")
    steps: list[str]
    submitted_at: dt.datetime
    replied_at: dt.datetime | None
    concluded: bool
    outcome: str = Field(description="办理结果（办结后）")
    reply: str = Field(description="办理单位给举报人的答复")
    hotline: str
    status_url: str = Field(description="the public status page of this tip-off")


class TipOffEventOut(Schema):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class TipOffNoteOut(Schema):
    id: int
    author: str
    text: str
    at: dt.datetime


class TipOffPhotoOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class TipOffOut(Schema):
    id: int
    tracking_code: str
    kind: str
    kind_label: str
    description: str
    address: str
    region: str
    region_name: str
    latitude: Decimal | None
    longitude: Decimal | None
    venue_code: str
    venue_name: str
    department: str | None
    enterprise: str | None = Field(description="USCC")
    status: str
    status_label: str
    reply: str
    has_contact: bool = Field(description="the reporter left name and phone (identity: /identity, audited)")
    fine_amount: Decimal | None
    accident: int | None
    concealed_deaths: int | None
    hazard: int | None
    reward_amount: Decimal | None
    reward_basis: str
    reward_paid_on: dt.date | None
    submitted_at: dt.datetime
    replied_at: dt.datetime | None
    concluded_at: dt.datetime | None
    actions: list[str]


class TipOffDetailOut(TipOffOut):
    photos: list[TipOffPhotoOut]
    events: list[TipOffEventOut]
    notes: list[TipOffNoteOut]


class TipOffFilters(Schema):
    status: TipOffStatus | None = None
    kind: Kind | None = None
    region: RegionCode | None = Field(None, description="its subtree")
    code: str | None = Field(None, max_length=16, description="tracking code")


class TipOffTransitionIn(Schema):
    action: Literal[
        "accept", "reject", "verify", "substantiate", "unsubstantiate", "decide_reward", "pay_reward"
    ]
    department: str | None = Field(None, max_length=50, description="accept: the department that verifies it")
    region: RegionCode | None = Field(None, description="accept: route to this region (in your scope)")
    reply: str | None = Field(
        None, max_length=1000, description="reject, substantiate, unsubstantiate: to the reporter"
    )
    enterprise: str | None = Field(None, max_length=18, description="substantiate: the enterprise (USCC)")
    fine_amount: Decimal | None = Field(
        None, description="substantiate / decide_reward: the fine imposed, yuan"
    )
    accident: int | None = Field(
        None, ge=1, description="substantiate (concealed accident): the accident's id"
    )
    concealed_deaths: int | None = Field(None, ge=0, le=1000)
    paid_on: dt.date | None = Field(None, description="pay_reward")
    comment: str | None = Field(None, max_length=500)


class TipOffNoteIn(Schema):
    text: str = Field(max_length=2000)


class IdentityOut(Schema):
    name: str
    phone: str
    anonymous: bool


class StatsParams(Schema):
    region: RegionCode | None = Field(None, description="默认调用者所在区域；管辖范围外为404")
    date_from: dt.date | None = Field(None, alias="from", description="默认当年1月1日")
    date_to: dt.date | None = Field(None, alias="to", description="默认今天")


class TipOffCountOut(Schema):
    status: str | None = None
    kind: str | None = None
    label: str
    count: int


class TipOffStatsOut(Schema):
    region: str
    start: dt.date
    end: dt.date
    total: int
    by_status: list[TipOffCountOut]
    by_kind: list[TipOffCountOut]
    replied: int
    average_days_to_reply: float | None
    concluded: int
    substantiated: int
    substantiated_share: float | None
    rewards_decided: int
    rewards_paid: int
    amount_decided: Decimal
    amount_paid: Decimal


# ---- public ----------------------------------------------------------------------------------------------------


def _public_out(request: HttpRequest, t: TipOff) -> dict[str, Any]:
    return services.public_view(t) | {
        "status_url": request.build_absolute_uri(f"/public/tip-offs/{t.tracking_code}/")
    }


@public_router.post(
    "/tip-offs",
    response=responses({201: PublicTipOffOut, 429: Any}, 400, 413, 415),
    throttle=[public.THROTTLE],
)
def submit_tipoff(
    request: HttpRequest,
    payload: Form[PublicTipOffIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    """File a tip-off without an account (multipart: the fields and up to 6 photos). The name and phone are optional
    (needed for a reward) and stored encrypted. The same `Idempotency-Key` answers the first submission again;
    more than the limit from one phone or address within the window: 429."""
    raw = payload.dict()
    key = key_from(request, raw.pop("idempotency_key", None))
    try:
        tipoff, _ = services.submit(
            raw,
            list(photos or []),
            client_address=client_ip(request),
            key=key,
            request_hash=fingerprint(request) if key else "",
        )
    except services.Throttled as exc:
        return Status(429, {"detail": [e.as_dict() for e in exc.errors]})
    return Status(201, _public_out(request, tipoff))


@public_router.get(
    "/tip-offs/{tracking_code}",
    response=responses(PublicTipOffOut, 404, 429),
    throttle=[public.THROTTLE],
)
def public_tipoff(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    """The stage and outcome of a tip-off by its tracking code: no description, place, identity, notes or names."""
    return _public_out(request, services.by_code(tracking_code))


# ---- the offices -------------------------------------------------------------------------------------------------


def _tipoffs(request: AuthedRequest) -> QuerySet[TipOff]:
    return restrict(TipOff, request.user).select_related("region", "department", "enterprise")


@router.get("/tip-offs", response=responses(Page[TipOffOut]))
def list_tipoffs(
    request: AuthedRequest, filters: Query[TipOffFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _tipoffs(request)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.region:
        qs = qs.filter(subtree(filters.region))
    if filters.code:
        qs = qs.filter(tracking_code=filters.code.strip().upper())
    return page(qs, paging, lambda t: tipoff_out(t, request.user))


@router.get("/tip-offs/{tipoff_id}", response=responses(TipOffDetailOut, 404))
def get_tipoff(request: AuthedRequest, tipoff_id: Id) -> dict[str, Any]:
    return tipoff_out(get_in_scope(_tipoffs(request), request.user, pk=tipoff_id), request.user, full=True)


@router.post(
    "/tip-offs/{tipoff_id}/transitions", response=responses(TipOffDetailOut, 400, 403, 404, 409, 415)
)
def tipoff_transition(request: AuthedRequest, tipoff_id: Id, payload: TipOffTransitionIn) -> dict[str, Any]:
    """`accept` (department; optional region) · `reject` (reply) · `verify` · `substantiate` (reply; a hazard tip-off
    becomes a hazard of source 举报, a concealed accident links to `accident`) · `unsubstantiate` (reply) ·
    `decide_reward` (by the reward rules in force; needs the reporter's contact) · `pay_reward` (paid_on)."""
    tipoff = get_in_scope(_tipoffs(request), request.user, pk=tipoff_id)
    fields = payload.dict(exclude={"action"})
    actions.transition(tipoff, payload.action, actor=request.user, **fields)
    return tipoff_out(_tipoffs(request).get(pk=tipoff.pk), request.user, full=True)


@router.post("/tip-offs/{tipoff_id}/notes", response=responses({201: TipOffNoteOut}, 400, 403, 404, 415))
def add_note(request: AuthedRequest, tipoff_id: Id, payload: TipOffNoteIn) -> Status[dict[str, Any]]:
    """An internal note (never shown to the reporter)."""
    tipoff = get_in_scope(_tipoffs(request), request.user, pk=tipoff_id)
    note = services.add_note(tipoff, payload.text, actor=request.user)
    return Status(201, {"id": note.pk, "author": note.author_label, "text": note.text, "at": note.at})


@router.get("/tip-offs/{tipoff_id}/identity", response=responses(IdentityOut, 403, 404))
def tipoff_identity(request: AuthedRequest, tipoff_id: Id) -> dict[str, Any]:
    """The reporter's name and phone, for the roles allowed; each call is written to the audit log."""
    return services.reveal_identity(tipoff_id, request.user)


@router.get("/stats/tip-offs", response=responses(TipOffStatsOut, 404), by_alias=True)
def tipoff_stats(request: AuthedRequest, params: Query[StatsParams]) -> dict[str, Any]:
    """Tip-offs submitted in the period in a region: by stage and kind, days to reply, substantiated share,
    rewards decided and paid."""
    region, start, end = excel.period(request.user, params.region, params.date_from, params.date_to)
    return excel.figures(request.user, region, start, end)


@router.get(
    "/stats/tip-offs/export",
    response=responses({200: bytes}, 404),
    openapi_extra={
        "responses": {
            200: {
                "description": "举报统计（.xlsx）",
                "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
            }
        }
    },
)
def tipoff_stats_export(request: AuthedRequest, params: Query[StatsParams]) -> HttpResponse:
    """The same figures as an Excel workbook."""
    region, start, end = excel.period(request.user, params.region, params.date_from, params.date_to)
    return excel.workbook_response(request.user, region, start, end)
