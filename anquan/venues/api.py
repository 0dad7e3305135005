"""/api/v1 routes of venues: `router` (signed-in users and tokens) and `public_router` (mounted at /public, no
account). /small-venues: list (the page's filters), create, get, patch, the QR code of one, the label sheet of a
filtered list (PDF, or 202 with a job above VENUES_SHEET_BACKGROUND), the Excel export; /stats/small-venues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import Field, Path, Query, Router, Schema, Status

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import NotPermitted
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import CHANGE, get_in_scope, restrict, role_may
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut

from . import excel, filters, labels, services, sheets, stats
from .choices import CheckFilter, VenueKind, VenueStatus
from .models import SmallVenue
from .validation import COORDINATES, MAX_EXITS, MAX_EXTINGUISHERS

router = Router(tags=["九小场所"])
public_router = Router(tags=["九小场所（公众）"])
MAX_ID = 2**31 - 1
PDF, PNG = "application/pdf", "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_LAT, _LON = COORDINATES["latitude"], COORDINATES["longitude"]
KINDS = "取值：" + "、".join(f"{k.value}（{k.label}）" for k in VenueKind)


class VenuePatchIn(Schema):
    """Only the fields given change. region: a township's or village's code; grid: a grid's code."""

    kind: Literal[tuple(VenueKind.values)] | None = Field(None, description=KINDS)
    name: str | None = Field(None, max_length=200)
    address: str | None = Field(None, max_length=300)
    region: str | None = Field(None, max_length=12, description="乡镇（街道）或村（社区）代码")
    grid: str | None = Field(None, max_length=32, description="网格编码")
    owner_name: str | None = Field(None, max_length=50)
    owner_phone: str | None = Field(None, max_length=20, description="电话（7–20位数字及+-()）")
    extinguishers: int | None = Field(None, ge=0, le=MAX_EXTINGUISHERS)
    exits: int | None = Field(None, ge=0, le=MAX_EXITS)
    ebike_indoor_charging: bool | None = None
    uses_gas: bool | None = None
    gas_alarm: bool | None = None
    combustible_decoration: bool | None = None
    status: Literal[tuple(VenueStatus.values)] | None = None
    latitude: Decimal | None = Field(None, ge=_LAT[0], le=_LAT[1])
    longitude: Decimal | None = Field(None, ge=_LON[0], le=_LON[1])


class VenueCreateIn(VenuePatchIn):
    kind: Literal[tuple(VenueKind.values)] = Field(description=KINDS)
    name: str = Field(max_length=200)
    address: str = Field(max_length=300)
    region: str = Field(max_length=12, description="乡镇（街道）或村（社区）代码")
    owner_name: str = Field(max_length=50)
    owner_phone: str = Field(max_length=20, description="电话（7–20位数字及+-()）")
    idempotency_key: str | None = Field(None, max_length=100)


class VenueFilters(Schema):
    kind: Literal[tuple(VenueKind.values)] | None = None
    region: str | None = Field(None, max_length=12, description="区域代码（含下级）")
    grid: str | None = Field(None, max_length=32, description="网格编码")
    status: Literal[tuple(VenueStatus.values)] | None = None
    check: Literal[tuple(CheckFilter.values)] | None = Field(
        None, description="checked 本月已检查 · unchecked 本月未检查 · failed 最近一次检查不合格"
    )
    q: str | None = Field(None, max_length=100, description="名称、地址包含，或二维码编号")


class VenueOut(Schema):
    id: int
    kind: str
    kind_name: str
    name: str
    address: str
    region: str
    region_name: str
    grid: str | None
    owner_name: str
    owner_phone: str
    extinguishers: int
    exits: int
    ebike_indoor_charging: bool
    uses_gas: bool
    gas_alarm: bool
    combustible_decoration: bool
    status: str
    latitude: float | None
    longitude: float | None
    public_code: str
    public_url: str
    last_checked_on: dt.date | None
    last_check_ok: bool | None


class VenueCreatedOut(VenueOut):
    pin: str | None = Field(None, description="业主自查密码：只在登记时返回这一次（库中只存其散列）")


def out(v: SmallVenue, request: Any) -> dict[str, Any]:
    return {
        "id": v.pk,
        "kind": v.kind,
        "kind_name": str(v.get_kind_display()),
        "name": v.name,
        "address": v.address,
        "region": v.region_code,
        "region_name": v.region.name,
        "grid": v.grid.code if v.grid_id else None,
        "owner_name": v.owner_name,
        "owner_phone": v.owner_phone,
        "extinguishers": v.extinguishers,
        "exits": v.exits,
        "ebike_indoor_charging": v.ebike_indoor_charging,
        "uses_gas": v.uses_gas,
        "gas_alarm": v.gas_alarm,
        "combustible_decoration": v.combustible_decoration,
        "status": v.status,
        "latitude": float(v.latitude) if v.latitude is not None else None,
        "longitude": float(v.longitude) if v.longitude is not None else None,
        "public_code": v.public_code,
        "public_url": services.public_url(v, request),
        "last_checked_on": v.last_checked_on,
        "last_check_ok": v.last_check_ok,
    }


def _scoped(request: Any) -> Any:
    return restrict(SmallVenue, request.user).select_related("region", "grid")


def _values(filters_: VenueFilters) -> dict[str, Any]:
    return filters_.dict(exclude_none=True)


@router.get("/small-venues", response=responses(Page[VenueOut], 400))
def list_small_venues(request, filters_: Query[VenueFilters], paging: Query[PageParams]):
    qs = filters.apply(_scoped(request), _values(filters_)).order_by("region_code", "name", "id")
    return page(qs, paging, lambda v: out(v, request))


@router.post("/small-venues", response=responses({201: VenueCreatedOut}, 400, 403, 409, 415))
def create_small_venue(request, payload: VenueCreateIn):
    """A new venue with its public code; the answer carries the owner's PIN once (a retry with the same
    idempotency key answers the venue without it)."""
    raw = payload.dict(exclude_none=True, exclude={"idempotency_key"})

    made: dict[str, str] = {}

    def create_with_pin() -> tuple[int, dict]:
        venue, pin = services.create_venue(request.user, raw)
        made["pin"] = pin
        return 201, out(_scoped(request).get(pk=venue.pk), request)

    status, body = run_once(
        request, "venues.create", key_from(request, payload.idempotency_key), create_with_pin
    )
    return Status(status, {**body, "pin": made.get("pin")})


@router.get(
    "/small-venues/export",
    response=responses({200: None}, 400),
    openapi_extra={"responses": {200: {"description": "九小场所名录（.xlsx）", "content": {XLSX: {}}}}},
)
def export_small_venues(request, filters_: Query[VenueFilters]):
    qs = filters.apply(_scoped(request), _values(filters_)).order_by("region_code", "name", "id")
    return excel.export_response(qs, request.user)


@router.get(
    "/small-venues/qr-sheet",
    response=responses({200: None, 202: JobOut}, 400),
    openapi_extra={
        "responses": {200: {"description": "A4二维码标签（PDF，每页24个）", "content": {PDF: {}}}}
    },
)
def small_venue_qr_sheet(request, filters_: Query[VenueFilters]):
    """The label sheet of the filtered list: a PDF; above VENUES_SHEET_BACKGROUND venues 202 with a job to poll
    (`url`) whose `result_url` is the PDF when it is done."""
    qs = filters.apply(_scoped(request), _values(filters_)).order_by("region_code", "name", "id")
    base = services.public_base(request)
    if qs.count() > settings.VENUES_SHEET_BACKGROUND:
        job = sheets.submit(request.user, _values(filters_), base)
        return Status(202, job_services.out(job, api=True))
    pdf = labels.sheet_pdf((v, base + services.public_path(v)) for v in qs.iterator(chunk_size=500))
    return HttpResponse(pdf, content_type=PDF)


@router.get("/small-venues/{venue_id}", response=responses(VenueOut, 404))
def get_small_venue(request, venue_id: int = Path(..., ge=1, le=MAX_ID)):
    return out(get_in_scope(_scoped(request), request.user, pk=venue_id), request)


@router.patch("/small-venues/{venue_id}", response=responses(VenueOut, 400, 403, 404, 415))
def update_small_venue(request, payload: VenuePatchIn, venue_id: int = Path(..., ge=1, le=MAX_ID)):
    venue = get_in_scope(_scoped(request), request.user, pk=venue_id)
    if not role_may(request.user, SmallVenue, CHANGE):
        raise NotPermitted("您的角色不能修改九小场所")
    services.update_venue(request.user, venue, payload.dict(exclude_unset=True), partial=True)
    return out(_scoped(request).get(pk=venue.pk), request)


@router.get(
    "/small-venues/{venue_id}/qr",
    response=responses({200: None}, 404),
    openapi_extra={
        "responses": {200: {"description": "场所二维码（PNG），内容为场所公开页网址", "content": {PNG: {}}}}
    },
)
def small_venue_qr(request, venue_id: int = Path(..., ge=1, le=MAX_ID)):
    venue = get_in_scope(_scoped(request), request.user, pk=venue_id)
    return HttpResponse(labels.png(services.public_url(venue, request)), content_type=PNG)


class VenueCountOut(Schema):
    key: str
    name: str
    venues: int
    checked: int


class VenueStatsOut(Schema):
    region: str
    region_name: str
    month: str
    venues: int
    checked_this_month: int
    coverage: float = Field(description="本月已检查的在营场所占在营场所的比例（0–1）")
    failed_last_check: int
    failed_items: list[dict[str, Any]] = Field(description="本月检查中不合格的项目：code、text、count")
    by_kind: list[VenueCountOut]
    by_grid: list[VenueCountOut]


@router.get("/stats/small-venues", response=responses(VenueStatsOut, 400))
def small_venue_stats(request, region: str | None = Query(None, max_length=12)):
    """Venues in business by kind and grid, this month's check coverage and the failed items of its checks."""
    return stats.summary(request.user, region)
