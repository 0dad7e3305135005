"""/api/v1/accidents, /stats/accidents and /tools/accident-grade: typed schemas (unique names), the
shared paginator, the documented 4xx answers; limits from actions.MAX_LENGTHS and core.inputs."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Field, File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.core import inputs
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict
from anquan.core.xlsx import XLSX
from anquan.jobs import exports
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut
from anquan.jobs.models import JobKind

from . import actions, excel, filters, grading, stats
from .choices import Grade, Level, Window
from .models import Accident

router = Router(tags=["accidents"])
stats_router = Router(tags=["statistics"])
tools_router = Router(tags=["tools"])

MAX_ID = 2**31 - 1
_L = actions.MAX_LENGTHS
Persons = Field(0, ge=0, le=inputs.MAX_PERSONS)
Loss = Field(Decimal(0), ge=0, lt=inputs.MAX_YUAN, decimal_places=2, description="元，0 至 10¹²")


class AccidentIn(Schema):
    """Enterprise by USCC or region by code; category by GB 6441 code of the edition in force on the date
    (GB 6441-1986 "01"–"20" before 2026-07-01, GB 6441-2025 "WSA1xxxx" from then on). An enterprise's
    accident lies in the enterprise's region: a `region` that does not contain it is refused (422)."""

    occurred_at: dt.datetime = Field(description="发生时间（1949-10-01 至现在）")
    enterprise: str | None = Field(None, max_length=18)
    region: str | None = Field(None, max_length=12)
    address: str | None = Field(None, max_length=_L["address"])
    industry: str | None = Field(None, max_length=40)
    category: str = Field(max_length=10)
    window: Literal[tuple(Window.values)] | None = None
    deaths: int = Persons
    missing: int = Persons
    serious_injuries: int = Persons
    minor_injuries: int = Persons
    direct_loss_yuan: Decimal = Loss
    summary: str = Field(max_length=_L["summary"])
    idempotency_key: str | None = Field(None, max_length=100)


class AccidentTransitionIn(Schema):
    """`action` and the fields it takes (others are refused with 422): report_up: to_level, reported_at ·
    late_report: changed_at, deaths, missing, serious_injuries, minor_injuries, direct_loss_yuan, comment ·
    start_investigation: team, lead_authority · extend_investigation: days, reason · submit_report:
    report_text, causes, responsibility, recommended_penalties · close: comment."""

    action: Literal[tuple(actions.TRANSITIONS)]
    to_level: Literal[tuple(Level.values)] | None = None
    reported_at: dt.datetime | None = None
    changed_at: dt.datetime | None = None
    deaths: int | None = Field(None, ge=0, le=inputs.MAX_PERSONS)
    missing: int | None = Field(None, ge=0, le=inputs.MAX_PERSONS)
    serious_injuries: int | None = Field(None, ge=0, le=inputs.MAX_PERSONS)
    minor_injuries: int | None = Field(None, ge=0, le=inputs.MAX_PERSONS)
    direct_loss_yuan: Decimal | None = Field(None, ge=0, lt=inputs.MAX_YUAN, decimal_places=2)
    team: str | None = Field(None, max_length=_L["team"])
    lead_authority: str | None = Field(None, max_length=_L["lead_authority"])
    days: int | None = Field(None, ge=1, le=actions.INVESTIGATION_DAYS)
    reason: str | None = Field(None, max_length=_L["reason"])
    report_text: str | None = Field(None, max_length=_L["report_text"])
    causes: str | None = Field(None, max_length=_L["causes"])
    responsibility: str | None = Field(None, max_length=_L["responsibility"])
    recommended_penalties: str | None = Field(None, max_length=_L["recommended_penalties"])
    comment: str | None = Field(None, max_length=_L["comment"])


class AccidentGradeIn(Schema):
    deaths: int = Field(ge=0, le=inputs.MAX_PERSONS)
    serious_injuries: int = Field(ge=0, le=inputs.MAX_PERSONS)
    direct_loss_yuan: Decimal = Field(ge=0, lt=inputs.MAX_YUAN, decimal_places=2)
    missing: int | None = Field(None, ge=0, le=inputs.MAX_PERSONS)
    count_missing_as_deaths: bool = False


class AccidentFilters(Schema):
    region: str | None = Field(None, max_length=12)
    grade: Literal[tuple(Grade.values)] | None = None
    date_from: dt.date | None = Field(None, alias="from", description="发生日期自（YYYY-MM-DD）")
    date_to: dt.date | None = Field(None, alias="to", description="发生日期至（YYYY-MM-DD）")


class AccidentReportStepOut(Schema):
    from_level: str
    to_level: str
    due_at: dt.datetime
    reported_at: dt.datetime | None
    on_time: bool | None


class AccidentPhotoOut(Schema):
    id: int
    name: str
    content_type: str
    size: int | None = None


class AccidentOut(Schema):
    id: int
    occurred_at: dt.datetime
    region: str
    region_name: str
    address: str
    enterprise: str | None
    enterprise_name: str | None
    industry: str | None
    category: str
    category_name: str
    category_edition: str
    category_1986: str
    window: str
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: str
    grade: str
    grade_label: str
    summary: str
    status: str
    investigation_due: dt.date | None
    investigation_overdue: bool


class AccidentDetailOut(AccidentOut):
    reports: list[AccidentReportStepOut]
    photos: list[AccidentPhotoOut]
    lead_authority: str
    team: str
    report_text: str
    causes: str
    responsibility: str
    recommended_penalties: str


class AccidentEventOut(Schema):
    action: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    comment: str
    data: dict


class AccidentTotalsOut(Schema):
    count: int
    deaths: int
    missing: int
    serious_injuries: int
    minor_injuries: int
    direct_loss_yuan: float
    larger: int
    major_or_above: int


class AccidentStatsRowOut(AccidentTotalsOut):
    key: str | None
    label: str
    count_last_year: int | None = Field(description="上年同期；系统未启用且未填报时为空")
    deaths_last_year: int | None
    count_yoy: str = Field(description="同比；上年同期不明时为空字符串")
    deaths_yoy: str


class AccidentLastYearOut(Schema):
    count: int
    deaths: int
    missing: int | None = Field(description="含填报数时为空（填报只有起数和死亡人数）")
    serious_injuries: int | None
    minor_injuries: int | None
    direct_loss_yuan: float | None
    larger: int | None
    major_or_above: int | None
    source: Literal["records", "entered", "mixed"] = Field(description="系统记录、安委办填报或两者")


class AccidentComparisonOut(Schema):
    from_: dt.date = Field(alias="from", description="上年同期起（同一日期）")
    to: dt.date
    source: str | None = Field(description="records / entered / mixed；上年同期不明时为空")
    note: str = Field(description="给读者的说明（上年数据为填报数或不作同比），可为空")


class AccidentChangeOut(Schema):
    count: float | None = Field(description="变化百分比；上期为0时为空")
    deaths: float | None


class AccidentStatsOut(Schema):
    region: str
    region_name: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    label: str = Field(description="期间的称谓：1-11月、截至12月1日")
    group_by: str
    items: list[AccidentStatsRowOut]
    total: AccidentTotalsOut
    same_period_last_year: AccidentLastYearOut | None = Field(
        description="上年同期（同一日期）；系统未启用且未填报时为空，不作同比"
    )
    comparison: AccidentComparisonOut
    yoy: AccidentChangeOut
    summary: str
    previous_month: AccidentLastYearOut | None = Field(
        None, description="上月（统计期间恰为一个自然月时）；上月不明时为空"
    )
    mom: AccidentChangeOut | None = None


class AccidentGradeOut(Schema):
    grade: str
    label: str
    reasons: list[str]
    missing: int | None = None


def _scoped(request):
    return restrict(Accident, request.user).select_related(
        "region", "enterprise", "industry", "category", "category__maps_to"
    )


def out(a: Accident, detail: bool = False) -> dict:
    body = {
        "id": a.id,
        "occurred_at": a.occurred_at.isoformat(),
        "region": a.region.code,
        "region_name": a.region.full_name,
        "address": a.address,
        "enterprise": a.enterprise.uscc if a.enterprise_id else None,
        "enterprise_name": a.enterprise.name if a.enterprise_id else None,
        "industry": a.industry.code if a.industry_id else None,
        "category": a.category.code,
        "category_name": a.category.name,
        "category_edition": a.category.edition,
        "category_1986": a.category.kind_1986.name,
        "window": a.window,
        "deaths": a.deaths,
        "missing": a.missing,
        "serious_injuries": a.serious_injuries,
        "minor_injuries": a.minor_injuries,
        "direct_loss_yuan": str(a.direct_loss_yuan),
        "grade": a.grade,
        "grade_label": grading.LABELS[a.grade],
        "summary": a.summary,
        "status": a.status,
        "investigation_due": a.investigation_due.isoformat() if a.investigation_due else None,
        "investigation_overdue": a.investigation_overdue,
    }
    if detail:
        body["reports"] = [
            {
                "from_level": r.from_level,
                "to_level": r.to_level,
                "due_at": r.due_at.isoformat(),
                "reported_at": r.reported_at.isoformat() if r.reported_at else None,
                "on_time": r.on_time,
            }
            for r in a.reports.all()
        ]
        body["photos"] = [
            {"id": p.id, "name": p.name, "content_type": p.content_type} for p in a.photos.all()
        ]
        body.update(
            lead_authority=a.lead_authority,
            team=a.team,
            report_text=a.report_text,
            causes=a.causes,
            responsibility=a.responsibility,
            recommended_penalties=a.recommended_penalties,
        )
    return body


@router.get("", response=responses(Page[AccidentOut], 400))
def list_accidents(request, params: Query[AccidentFilters], paging: Query[PageParams]):
    """Accidents in the caller's scope, newest first; `from`/`to` as in the statistics."""
    return page(filters.apply(_scoped(request), params), paging, out)


@router.get(
    "/export",
    response=responses({200: None, 202: JobOut}, 400),
    openapi_extra={
        "responses": {200: {"description": "生产安全事故登记台账（.xlsx）", "content": {XLSX: {}}}}
    },
)
def export_accidents(request, params: Query[AccidentFilters]):
    """The filtered register as .xlsx (the list's filters); above EXPORT_BACKGROUND_ROWS rows (5,000) 202 with
    a job to poll (`url`) whose `result_url` is the file when it is done."""
    qs = filters.apply(_scoped(request), params)
    values = {"region": params.region, "grade": params.grade, "from": params.date_from, "to": params.date_to}
    values = {k: v for k, v in values.items() if v is not None}
    if exports.too_large(qs):
        job = exports.submit(JobKind.ACCIDENT_EXPORT, request.user, values)
        return Status(202, job_services.out(job, api=True))
    return excel.export_response(qs, request.user, values)


@router.post("", response=responses({201: AccidentDetailOut}, 400, 403, 409, 415))
def create_accident(request, payload: AccidentIn):
    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        accident = actions.report_accident(raw, actor=request.user)
        return 201, out(_scoped(request).get(pk=accident.pk), detail=True)

    status, body = run_once(request, "accidents.create", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/{accident_id}", response=responses(AccidentDetailOut, 404))
def get_accident(request, accident_id: int = Path(..., ge=1, le=MAX_ID)):
    return out(get_in_scope(_scoped(request), request.user, pk=accident_id), detail=True)


@router.get("/{accident_id}/events", response=responses(Page[AccidentEventOut], 404))
def accident_events(request, paging: Query[PageParams], accident_id: int = Path(..., ge=1, le=MAX_ID)):
    accident = get_in_scope(_scoped(request), request.user, pk=accident_id)

    return page(accident.events.order_by("at", "id"), paging, lambda e: e.as_json())


@router.post("/{accident_id}/photos", response=responses({201: AccidentPhotoOut}, 400, 403, 404, 413, 415))
def upload_photo(request, file: File[UploadedFile], accident_id: int = Path(..., ge=1, le=MAX_ID)):
    """A photo or document of the scene (multipart, checked by content)."""
    accident = get_in_scope(_scoped(request), request.user, pk=accident_id)
    photo = actions.add_photo(accident, file, actor=request.user)
    return Status(
        201, {"id": photo.id, "name": photo.name, "content_type": photo.content_type, "size": photo.size}
    )


@router.post("/{accident_id}/transitions", response=responses(AccidentDetailOut, 400, 403, 404, 409, 415))
def move_accident(request, payload: AccidentTransitionIn, accident_id: int = Path(..., ge=1, le=MAX_ID)):
    accident = get_in_scope(_scoped(request), request.user, pk=accident_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    actions.transition(accident, action, actor=request.user, **fields)
    return out(_scoped(request).get(pk=accident_id), detail=True)


class AccidentStatsParams(Schema):
    region: str | None = Field(None, max_length=12, description="默认调用者所在区域")
    date_from: dt.date | None = Field(None, alias="from", description="默认当年1月1日；最早1949-10-01")
    date_to: dt.date | None = Field(None, alias="to", description="默认今天；最晚一年后，期间不超过20年")
    group_by: Literal[stats.GROUPINGS] = "region"


@stats_router.get("/accidents", response=responses(AccidentStatsOut, 400), by_alias=True)
def accident_stats(request, params: Query[AccidentStatsParams]):
    """Counts, deaths, injuries and losses in the period, grouped; with the same period last year, the
    year-on-year change and the bulletin sentence ("1-11月，全市共发生…同比分别下降24.4%、7.1%…")."""
    return stats.compute(request.user, params.region, params.date_from, params.date_to, params.group_by)


@tools_router.post("/accident-grade", response=responses(AccidentGradeOut, 400, 415))
def accident_grade(request, payload: AccidentGradeIn):
    """Decree 493 art. 3: the highest grade any of deaths, serious injuries or direct loss reaches.
    Missing persons count with deaths only when `count_missing_as_deaths` is true; they are reported separately."""
    result = grading.grade(
        payload.deaths,
        payload.serious_injuries,
        payload.direct_loss_yuan,
        missing=payload.missing or 0,
        count_missing_as_deaths=payload.count_missing_as_deaths,
    )
    body = {"grade": result.grade, "label": result.label, "reasons": result.reasons}
    if payload.missing is not None:
        body["missing"] = payload.missing
    return body
