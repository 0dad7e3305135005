"""/api/v1/hazards, /judgement-standards and /stats/hazards: typed schemas (unique names), the shared
paginator, the documented 4xx answers. Input limits come from the services' declarations
(reporting.MAX_LENGTHS, actions.MAX_LENGTHS, listing.MAX_LENGTHS), so the OpenAPI states them."""

import datetime as dt
from typing import Literal

from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.core import inputs
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict
from anquan.jobs import exports
from anquan.jobs import services as job_services
from anquan.jobs.api import JobOut
from anquan.jobs.models import JobKind

from . import actions, dossier, excel, filters, listing, stats
from . import services as reporting
from .choices import AttachmentStage, Level, ListingLevel, Source
from .models import Hazard, JudgementStandard, Listing

router = Router(tags=["hazards"])
stats_router = Router(tags=["statistics"])
standards_router = Router(tags=["hazards"])

LevelName = Literal[tuple(Level.values)]
SourceName = Literal[tuple(Source.values)]
TransitionName = Literal[tuple(actions.MOVES)]
OrderingName = Literal[tuple(filters.ORDERINGS)]
MAX_ID = reporting.MAX_ID
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_R = reporting.MAX_LENGTHS
_A = actions.MAX_LENGTHS


class HazardIn(Schema):
    """Enterprise by USCC (or, for a public place, region code + address); judgement_item by id.

    An enterprise account records for its own enterprise; a `region` that does not contain the
    enterprise's region is refused (422), never silently replaced."""

    enterprise: str | None = Field(None, max_length=18, description="企业统一社会信用代码")
    region: str | None = Field(None, max_length=12, description="区域代码（无企业时必填）")
    address: str | None = Field(None, max_length=_R["address"], description="地点（无企业时必填）")
    industry: str | None = Field(None, max_length=40, description="行业类别代码")
    source: SourceName | None = Field(None, description="来源（默认按角色）")
    level: LevelName | None = None
    judgement_item: int | None = Field(None, ge=1, le=MAX_ID, description="判定标准条目（使之成为重大隐患）")
    risk_point: int | None = Field(None, ge=1, le=MAX_ID)
    judgement_note: str | None = Field(None, max_length=_R["judgement_note"], description="文字判定依据")
    description: str = Field(max_length=_R["description"])
    latitude: float | None = Field(None, ge=reporting.LATITUDE[0], le=reporting.LATITUDE[1])
    longitude: float | None = Field(None, ge=reporting.LONGITUDE[0], le=reporting.LONGITUDE[1])
    found_at: dt.datetime | None = Field(None, description="发现时间（默认现在；不能晚于现在）")
    found_by_name: str | None = Field(None, max_length=_R["found_by_name"])
    idempotency_key: str | None = Field(None, max_length=100)


class HazardFilters(Schema):
    q: str | None = Field(
        None, max_length=filters.MAX_Q, description="描述、企业名称、拼音首字母、信用代码、地点"
    )
    region: str | None = Field(None, max_length=12)
    enterprise: str | None = Field(None, max_length=18)
    industry: str | None = Field(None, max_length=40)
    department: str | None = Field(None, max_length=100)
    level: LevelName | None = None
    status: str | None = Field(None, max_length=200, description="状态，逗号分隔多个；open = 所有未办结状态")
    source: SourceName | None = None
    overdue: bool | None = None
    listed: bool | None = None
    found_from: dt.date | None = None
    found_to: dt.date | None = None
    closed_from: dt.date | None = None
    closed_to: dt.date | None = None
    ordering: OrderingName | None = None


def _filter_values(params: Schema) -> dict:
    return {k: v for k, v in params.dict(exclude_none=True).items()}


class HazardTransitionIn(Schema):
    """`action` and the fields it takes (others are refused with 422):
    accept / urge (催办): comment · reject / return / cancel / deny_extension: reason · assign: responsible_party, deadline
    or deadline_working_days (+ deadline_start), for a major hazard also measures, funds_yuan,
    contingency_plan (五落实); responsible_user · submit: evidence, attachments · request_extension: until,
    reason · grant_extension: until (default: the requested date)."""

    action: TransitionName
    reason: str | None = Field(None, max_length=_A["reason"])
    comment: str | None = Field(None, max_length=_A["comment"])
    responsible_party: str | None = Field(None, max_length=_A["responsible_party"])
    responsible_user: str | None = Field(None, max_length=_A["responsible_user"])
    measures: str | None = Field(None, max_length=_A["measures"])
    funds_yuan: str | float | None = Field(None, description="元，0 至 10¹²，最多两位小数")
    contingency_plan: str | None = Field(None, max_length=_A["contingency_plan"])
    deadline: dt.date | None = Field(None, description="今天至10年内")
    deadline_working_days: int | None = Field(None, ge=1, le=actions.MAX_WORKING_DAYS)
    deadline_start: dt.date | None = None
    evidence: str | None = Field(None, max_length=_A["evidence"])
    attachments: list[int] | None = Field(None, max_length=actions.MAX_ATTACHMENTS)
    until: dt.date | None = None
    opinion: str | None = Field(None, max_length=_A["opinion"], description="验收意见")


class HazardListingIn(Schema):
    level: Literal[tuple(ListingLevel.values)]
    authority: str = Field(max_length=listing.MAX_LENGTHS["authority"])
    document_no: str = Field(max_length=listing.MAX_LENGTHS["document_no"])
    deadline: dt.date
    report_every_days: int = Field(30, ge=1, le=90)


class HazardTextIn(Schema):
    text: str = Field("", max_length=inputs.LONG_TEXT)


class HazardListingOut(Schema):
    level: str
    authority: str
    document_no: str
    deadline: dt.date
    report_every_days: int


class HazardStepOut(Schema):
    step: str = Field(description="当前环节：受理、整改、验收或销号")
    waiting: str = Field(description="待受理、待部署整改、整改中、待验收、待摘牌销号")
    owner: str = Field(description="当前环节的责任方")
    deadline: dt.date | None
    countdown: str = Field(description="剩余 N 天、今天到期或超期 N 天")
    late: bool


class HazardOut(Schema):
    id: int
    number: str | None = Field(description="业务编号，如 濂溪隐〔2026〕0401")
    enterprise: str | None
    enterprise_name: str | None
    region: str
    region_name: str
    address: str
    industry: str | None
    supervising_department: str | None
    source: str
    level: str
    risk_point: int | None
    judgement_item: int | None
    judgement_citation: str | None
    description: str
    latitude: float | None
    longitude: float | None
    found_by: str
    found_at: dt.datetime
    status: str
    responsible_party: str
    responsible_user: str | None
    measures: str
    funds_yuan: str | None
    contingency_plan: str
    deadline: dt.date | None
    deadline_basis: str
    extension_requested_until: dt.date | None
    evidence: str
    accepted_by: str | None
    accepted_at: dt.datetime | None
    acceptance_opinion: str
    urge_count: int = Field(description="催办次数")
    urged_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    listed: bool
    listing: HazardListingOut | None
    actions: list[str] | None = Field(None, description="调用者现在可执行的操作（详情中给出）")
    current_step: HazardStepOut | None = Field(
        None, description="当前环节、责任方和期限（详情中给出；已办结的隐患为空）"
    )


class HazardEventOut(Schema):
    id: int
    action: str
    from_status: str | None
    to_status: str | None
    actor: str
    at: dt.datetime
    comment: str
    data: dict
    attachments: list[int]


class HazardAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    stage: str


class ProgressReportOut(Schema):
    id: int
    reported_at: dt.datetime
    text: str


class JudgementItemOut(Schema):
    id: int
    clause: str
    applies_to: str
    text: str
    citation: str


class JudgementStandardOut(Schema):
    id: int
    code: str
    version: str
    title: str
    doc_no: str
    verified: str
    note: str
    industries: list[str]
    items: list[JudgementItemOut]


class HazardStatsRowOut(Schema):
    key: str | None
    label: str
    found: int
    closed: int
    open: int
    overdue: int
    major_open: int
    rectification_rate: float | None = Field(description="整改率（%）")
    avg_days_to_close: float | None


class HazardStatsOut(Schema):
    region: str
    region_name: str
    group_by: str
    period_label: str = Field(
        description="所统计的发现日期期间，如 2026年1-11月、截至2026年12月1日、2026年3月5日起（ADR 0018）；"
        "未限定发现日期时为空"
    )
    found_from: dt.date | None = Field(description="发现日期起（含），未限定时为 null")
    found_to: dt.date | None = Field(description="发现日期止（含），未限定时为 null")
    items: list[HazardStatsRowOut]
    total: HazardStatsRowOut


def _scoped(request):
    return restrict(Hazard, request.user).select_related(
        "enterprise",
        "region",
        "industry",
        "supervising_department",
        "judgement_item__standard",
        "accepted_by",
        "responsible_user",
    )


def _get(request, hazard_id: int) -> Hazard:
    return get_in_scope(_scoped(request), request.user, pk=hazard_id)


def out(h: Hazard, user=None) -> dict:
    listing_ = h.active_listing
    body = {
        "id": h.id,
        "number": h.number,
        "enterprise": h.enterprise.uscc if h.enterprise_id else None,
        "enterprise_name": h.enterprise.name if h.enterprise_id else None,
        "region": h.region.code,
        "region_name": h.region.full_name,
        "address": h.address,
        "industry": h.industry.code if h.industry_id else None,
        "supervising_department": h.supervising_department.name if h.supervising_department_id else None,
        "source": h.source,
        "level": h.level,
        "risk_point": h.risk_point_id,
        "judgement_item": h.judgement_item_id,
        "judgement_citation": h.judgement_item.citation
        if h.judgement_item_id
        else (h.judgement_note or None),
        "description": h.description,
        "latitude": float(h.latitude) if h.latitude is not None else None,
        "longitude": float(h.longitude) if h.longitude is not None else None,
        "found_by": h.found_by_name,
        "found_at": h.found_at.isoformat(),
        "status": h.status,
        "responsible_party": h.responsible_party,
        "responsible_user": h.responsible_user.username if h.responsible_user_id else None,
        "measures": h.measures,
        "funds_yuan": str(h.funds_yuan) if h.funds_yuan is not None else None,
        "contingency_plan": h.contingency_plan,
        "deadline": h.deadline.isoformat() if h.deadline else None,
        "deadline_basis": h.deadline_basis,
        "extension_requested_until": h.extension_requested_until.isoformat()
        if h.extension_requested_until
        else None,
        "evidence": h.evidence,
        "accepted_by": h.accepted_by.username if h.accepted_by_id else None,
        "accepted_at": h.accepted_at.isoformat() if h.accepted_at else None,
        "acceptance_opinion": h.acceptance_opinion,
        "urge_count": h.urge_count,
        "urged_at": h.urged_at.isoformat() if h.urged_at else None,
        "closed_at": h.closed_at.isoformat() if h.closed_at else None,
        "overdue": h.overdue,
        "listed": listing_ is not None,
        "listing": None
        if listing_ is None
        else {
            "level": listing_.level,
            "authority": listing_.authority,
            "document_no": listing_.document_no,
            "deadline": listing_.deadline.isoformat(),
            "report_every_days": listing_.report_every_days,
        },
    }
    if user is not None:
        body["actions"] = actions.available_actions(h, user)
        body["current_step"] = _current_step(h)
    return body


def _current_step(h: Hazard) -> dict | None:
    bar = dossier.step_bar(h)
    current = next((s for s in bar.steps if s.state == "current"), None)
    if current is None:
        return None
    return {
        "step": current.label,
        "waiting": bar.waiting,
        "owner": bar.owner,
        "deadline": bar.deadline,
        "countdown": bar.countdown,
        "late": bar.late,
    }


@router.get("", response=responses(Page[HazardOut], 400))
def list_hazards(request, params: Query[HazardFilters], paging: Query[PageParams]):
    """The ledger in the caller's scope; an unknown filter value answers 422 naming the parameter."""
    qs = filters.apply(_scoped(request), _filter_values(params), request.user).prefetch_related("listings")
    return page(qs, paging, out)


@router.get(
    "/export",
    response=responses({200: None, 202: JobOut}, 400),
    openapi_extra={"responses": {200: {"description": "隐患台账（.xlsx）", "content": {XLSX: {}}}}},
)
def export_hazards(request, params: Query[HazardFilters]):
    """The filtered ledger as .xlsx in the usual ledger columns; above EXPORT_BACKGROUND_ROWS rows (5,000)
    202 with a job to poll (`url`) whose `result_url` is the file when it is done."""
    qs = filters.apply(_scoped(request), _filter_values(params), request.user)
    if exports.too_large(qs):
        job = exports.submit(JobKind.HAZARD_EXPORT, request.user, _filter_values(params))
        return Status(202, job_services.out(job, api=True))
    return excel.export_response(qs, request.user, _filter_values(params))


@router.post("", response=responses({201: HazardOut}, 400, 403, 409, 413, 415))
def create_hazard(request, payload: HazardIn):
    def create():
        raw = payload.dict(exclude_none=True)
        raw.pop("idempotency_key", None)
        hazard = reporting.report_hazard(raw, actor=request.user)
        # answered from the hazard in hand (report_hazard loaded its relations): no second read; new, it
        # has no supervision listing
        hazard._prefetched_objects_cache = {"listings": Listing.objects.none()}
        return 201, out(hazard, request.user)

    status, body = run_once(request, "hazards.create", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/{hazard_id}", response=responses(HazardOut, 404))
def get_hazard(request, hazard_id: int = Path(..., ge=1, le=MAX_ID)):
    return out(_get(request, hazard_id), request.user)


@router.post("/{hazard_id}/transitions", response=responses(HazardOut, 400, 403, 404, 409, 415))
def move_hazard(request, payload: HazardTransitionIn, hazard_id: int = Path(..., ge=1, le=MAX_ID)):
    hazard = _get(request, hazard_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    actions.transition(hazard, action, actor=request.user, **fields)
    return out(_get(request, hazard_id), request.user)


@router.get("/{hazard_id}/events", response=responses(Page[HazardEventOut], 404))
def hazard_events(request, paging: Query[PageParams], hazard_id: int = Path(..., ge=1, le=MAX_ID)):
    hazard = _get(request, hazard_id)

    def event(e) -> dict:
        return e.as_json() | {
            "from_status": e.from_status or None,
            "to_status": e.to_status or None,
            "attachments": [a.id for a in e.attachments.all()],
        }

    return page(hazard.events.prefetch_related("attachments").order_by("at", "id"), paging, event)


@router.post(
    "/{hazard_id}/attachments", response=responses({201: HazardAttachmentOut}, 400, 403, 404, 413, 415)
)
def upload_attachment(
    request,
    file: File[UploadedFile],
    stage: Form[Literal[tuple(AttachmentStage.values)]] = "evidence",
    hazard_id: int = Path(..., ge=1, le=MAX_ID),
):
    """Upload a photo or document (multipart); pass its id in a later transition (e.g. `submit`)."""
    hazard = _get(request, hazard_id)
    if stage not in AttachmentStage.values:
        raise ValidationFailed([FieldError("stage", "invalid_choice", "附件类别无效")])
    attachment = reporting.add_attachment(hazard, file, stage=stage, actor=request.user)
    return Status(
        201,
        {
            "id": attachment.id,
            "name": attachment.name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "stage": attachment.stage,
        },
    )


@router.post("/{hazard_id}/listing", response=responses({201: HazardOut}, 400, 403, 404, 409, 415))
def list_for_supervision(request, payload: HazardListingIn, hazard_id: int = Path(..., ge=1, le=MAX_ID)):
    hazard = _get(request, hazard_id)
    listing.list_hazard(hazard, actor=request.user, **payload.dict())
    return Status(201, out(_get(request, hazard_id), request.user))


@router.post(
    "/{hazard_id}/progress-reports", response=responses({201: ProgressReportOut}, 400, 403, 404, 409, 415)
)
def progress_report(request, payload: HazardTextIn, hazard_id: int = Path(..., ge=1, le=MAX_ID)):
    report = listing.report_progress(_get(request, hazard_id), payload.text, actor=request.user)
    return Status(201, {"id": report.id, "reported_at": report.reported_at, "text": report.text})


@router.post("/{hazard_id}/delisting", response=responses(HazardOut, 400, 403, 404, 409, 415))
def delist(request, payload: HazardTextIn, hazard_id: int = Path(..., ge=1, le=MAX_ID)):
    listing.delist(_get(request, hazard_id), actor=request.user, comment=payload.text)
    return out(_get(request, hazard_id), request.user)


@standards_router.get("", response=responses(Page[JudgementStandardOut], 400))
def judgement_standards(
    request, paging: Query[PageParams], industry: str | None = Query(None, max_length=40)
):
    qs = JudgementStandard.objects.filter(active=True).prefetch_related("items", "industries").order_by("id")
    if industry:
        qs = qs.filter(industries__code=industry)

    def standard(s) -> dict:
        return {
            "id": s.id,
            "code": s.code,
            "version": s.version,
            "title": s.title,
            "doc_no": s.doc_no,
            "verified": s.verified,
            "note": s.note,
            "industries": [i.code for i in s.industries.all()],
            "items": [
                {
                    "id": i.id,
                    "clause": i.clause,
                    "applies_to": i.applies_to,
                    "text": i.text,
                    "citation": i.citation,
                }
                for i in s.items.all()
            ],
        }

    return page(qs, paging, standard)


@stats_router.get("/hazards", response=responses(HazardStatsOut, 400))
def hazard_stats(request, params: Query[HazardFilters], group_by: Literal[stats.GROUPINGS] = "region"):
    """found / closed / open / overdue / rectification rate / average days to close, grouped by the chosen
    region's children, industry, level or month (`region` defaults to the caller's own)."""
    return stats.compute(request.user, _filter_values(params), group_by)
