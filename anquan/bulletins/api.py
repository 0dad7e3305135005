"""/api/v1/bulletins: generate (POST), list, detail and download the generated .docx."""

import datetime as dt
from typing import Literal

from ninja import Field, Path, Query, Router, Schema, Status

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import key_from, run_once
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
    `region`: a region code in the caller's scope; the period must have begun."""

    kind: KindName
    region: str = Field(max_length=12)
    year: int = Field(ge=periods.FIRST_YEAR, le=periods.LAST_YEAR)
    month: int | None = Field(None, ge=1, le=12, description="月报必填")
    quarter: int | None = Field(None, ge=1, le=4, description="季报必填")
    issue_number: str | None = Field(None, max_length=50, description="期号")
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


@router.post("", response=responses({202: JobOut}, 400, 403, 409, 415))
def generate_bulletin(request, payload: BulletinIn):
    """Ask for a bulletin from the statistics the caller may see. The request is checked at once — 403 for
    a role that does not issue bulletins, 422 for a bad kind or period, a period not yet begun, or a region
    out of scope — and the document is generated in the background: 202 with the job, whose `url` to poll
    (`GET /api/v1/jobs/{id}`) gives its progress and, when done, `result_url`, the .docx."""

    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        job = jobs.submit(request.user, raw)
        return 202, job_services.out(job, api=True)

    key = key_from(request, payload.idempotency_key)
    status, body = run_once(request, "bulletins.generate", key, create)
    return Status(status, body)


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
