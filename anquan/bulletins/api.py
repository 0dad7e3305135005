"""/api/v1/bulletins: generate (POST), list, detail and download the generated .docx."""

import datetime as dt
from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status

from anquan.accidents import prior_totals
from anquan.accidents.models import PriorTotals
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import run_payload_once
from anquan.core.scope import get_in_scope
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut

from . import filters, jobs, periods, services
from .choices import Kind

router = Router(tags=["bulletins"])

MAX_ID = 2**31 - 1
DOCX = services.DOCX
KindName = Literal[tuple(Kind.values)]


class BulletinIn(Schema):
    """`kind`: monthly_dispatch (needs `month`), quarterly_bulletin (needs `quarter` 1–4) or yearly_evaluation;
    `region`: a region code in the caller's scope; the period must have begun, and a period not yet ended is
    generated only with `confirm_incomplete` (its figures run to today, against the same dates last year)."""

    kind: KindName
    region: str = Field(max_length=12)
    year: int = Field(ge=periods.FIRST_YEAR, le=periods.LAST_YEAR)
    month: int | None = Field(None, ge=1, le=12, description="月报必填")
    quarter: int | None = Field(None, ge=1, le=4, description="季报必填")
    issue_number: str | None = Field(None, max_length=50, description="期号")
    confirm_incomplete: bool = Field(
        False,
        description="所选期间尚未结束时须为 true（否则422：period_not_ended）；通报标题注明“截至某月某日”",
    )
    idempotency_key: str | None = Field(None, max_length=100)


class BulletinFilters(Schema):
    kind: KindName | None = None
    region: str | None = Field(None, max_length=12)
    year: int | None = Field(None, ge=periods.FIRST_YEAR, le=periods.LAST_YEAR)


class BulletinPeriodOut(Schema):
    name: str
    start: dt.date
    end: dt.date
    data_end: dt.date = Field(description="统计数据截至")


class BulletinOut(Schema):
    id: int
    kind: str
    kind_name: str
    title: str
    issue_number: str
    region: str
    region_name: str
    period: BulletinPeriodOut
    size: int
    created_by: str | None
    created_at: dt.datetime
    download_url: str


class PriorTotalsIn(Schema):
    """One month of last year (or earlier) that the system did not record: the area's accidents and deaths."""

    region: str = Field(max_length=12)
    year: int
    month: int
    accidents: int = Field(description="事故起数（没有则为0）")
    deaths: int = Field(description="死亡人数（没有则为0）")
    note: str | None = Field(None, max_length=200, description="说明（数据来源）")


class PriorTotalsOut(Schema):
    id: int
    region: str
    region_name: str
    year: int
    month: int
    accidents: int
    deaths: int
    note: str
    entered_by: str | None
    entered_at: dt.datetime


class PriorTotalsFilters(Schema):
    region: str | None = Field(None, max_length=12)
    year: int | None = Field(None, ge=1949, le=periods.LAST_YEAR)


def prior_out(entry: PriorTotals) -> dict:
    return {
        "id": entry.id,
        "region": entry.region_code,
        "region_name": entry.region.full_name,
        "year": entry.year,
        "month": entry.month,
        "accidents": entry.accidents,
        "deaths": entry.deaths,
        "note": entry.note,
        "entered_by": entry.entered_by.username if entry.entered_by_id else None,
        "entered_at": entry.entered_at,
    }


@router.post("/prior-totals", response=responses({201: PriorTotalsOut}, 400, 403, 415))
def enter_prior_totals(request, payload: PriorTotalsIn):
    """上年同期数据: a safety committee office enters one month's totals of its area for a month the system did
    not record, so that statistics and bulletins can compare with it (the newest entry of a month counts; every
    entry stays, audited). 403 for other roles; 422 per field (region out of scope, month not ended, figure
    below 0)."""
    entry = prior_totals.enter(request.user, payload.dict())
    return Status(201, prior_out(entry))


@router.get("/prior-totals", response=responses(Page[PriorTotalsOut], 400))
def list_prior_totals(request, params: Query[PriorTotalsFilters], paging: Query[PageParams]):
    """Entered totals (history included, newest first) in the caller's scope."""
    return page(prior_totals.entries(request.user, params.region, params.year), paging, prior_out)


@router.post("", response=responses({202: JobOut}, 400, 403, 409, 415))
def generate_bulletin(request, payload: BulletinIn):
    """Ask for a bulletin from the statistics the caller may see. The request is checked at once — 403 for
    a role that does not issue bulletins, 422 for a bad kind or period, a period not yet begun, or a region
    out of scope — and the document is generated in the background: 202 with the job, whose `url` to poll
    (`GET /api/v1/jobs/{id}`) gives its progress and, when done, `result_url`, the .docx."""

    def make(raw):
        return 202, job_services.out(jobs.submit(request.user, raw), api=True)

    return Status(*run_payload_once(request, "bulletins.generate", payload, make, exclude_none=False))


@router.get("", response=responses(Page[BulletinOut], 400))
def list_bulletins(request, params: Query[BulletinFilters], paging: Query[PageParams]):
    qs = filters.apply(services.scoped(request.user), params.dict(exclude_none=True))
    return page(qs, paging, services.out)


@router.get("/{bulletin_id}", response=responses(BulletinOut, 404))
def get_bulletin(request, bulletin_id: int = Path(..., ge=1, le=MAX_ID)):
    return services.out(get_in_scope(services.scoped(request.user), request.user, pk=bulletin_id))


@router.get(
    "/{bulletin_id}/download",
    url_name="bulletin_download",
    response=responses({200: None}, 404),
    openapi_extra={"responses": {200: {"description": "公报文件（.docx）", "content": {DOCX: {}}}}},
)
def download_bulletin(request, bulletin_id: int = Path(..., ge=1, le=MAX_ID)):
    """The .docx file (named by its title); 404 outside the caller's scope."""
    return services.file_response(request.user, bulletin_id)
