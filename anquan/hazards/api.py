from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.scope import get_in_scope, restrict
from anquan.core.contract import PageParams, page
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once

from . import actions, excel, filters, listing, reporting, stats
from .choices import AttachmentStage
from .models import Hazard, JudgementStandard

router = Router(tags=["hazards"])
stats_router = Router(tags=["statistics"])
standards_router = Router(tags=["hazards"])


class HazardIn(Schema):
    """Enterprise by USCC (or, for a public place, region code + address); judgement_item by id."""

    enterprise: str | None = None
    region: str | None = None
    address: str | None = None
    industry: str | None = None
    source: str | None = None
    level: str | None = None
    judgement_item: int | None = None
    risk_point: int | None = None
    judgement_note: str | None = None
    description: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    found_at: str | None = None
    found_by_name: str | None = None
    idempotency_key: str | None = None


class HazardFilters(Schema):
    q: str | None = None
    region: str | None = None
    enterprise: str | None = None
    industry: str | None = None
    department: str | None = None
    level: str | None = None
    status: str | None = None
    source: str | None = None
    overdue: bool | None = None
    listed: bool | None = None
    found_from: str | None = None
    found_to: str | None = None
    closed_from: str | None = None
    closed_to: str | None = None
    ordering: str | None = None


class TransitionIn(Schema):
    action: str
    reason: str | None = None
    comment: str | None = None
    responsible_party: str | None = None
    responsible_user: str | None = None
    measures: str | None = None
    funds_yuan: str | float | None = None
    contingency_plan: str | None = None
    deadline: str | None = None
    deadline_working_days: int | None = None
    deadline_start: str | None = None
    evidence: str | None = None
    attachments: list[int] | None = None
    until: str | None = None


class ListingIn(Schema):
    level: str
    authority: str
    document_no: str
    deadline: str
    report_every_days: int = 30


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
    return body


@router.get("", response=dict)
def list_hazards(request, params: Query[HazardFilters], paging: Query[PageParams]):
    qs = filters.apply(_scoped(request), params.dict(exclude_none=True)).prefetch_related("listings")
    return page(qs, paging, out)


@router.get("/export")
def export_hazards(request, params: Query[HazardFilters]):
    """The filtered ledger as .xlsx in the usual ledger columns."""
    return excel.export_response(filters.apply(_scoped(request), params.dict(exclude_none=True)))


@router.post("", response={201: dict})
def create_hazard(request, payload: HazardIn):
    def create():
        raw = payload.dict(exclude_none=True)
        raw.pop("idempotency_key", None)
        hazard = reporting.report_hazard(raw, actor=request.user)
        return 201, out(_get(request, hazard.pk), request.user)

    status, body = run_once(request, "hazards.create", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/{hazard_id}", response=dict)
def get_hazard(request, hazard_id: int):
    return out(_get(request, hazard_id), request.user)


@router.post("/{hazard_id}/transitions", response=dict)
def move_hazard(request, hazard_id: int, payload: TransitionIn):
    hazard = _get(request, hazard_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    actions.transition(hazard, action, actor=request.user, **fields)
    return out(_get(request, hazard_id), request.user)


@router.get("/{hazard_id}/events", response=dict)
def hazard_events(request, hazard_id: int):
    hazard = _get(request, hazard_id)
    items = [
        {
            "id": e.id,
            "action": e.action,
            "from_status": e.from_status or None,
            "to_status": e.to_status or None,
            "actor": e.actor_label,
            "at": e.at.isoformat(),
            "comment": e.comment,
            "data": e.data,
            "attachments": [a.id for a in e.attachments.all()],
        }
        for e in hazard.events.prefetch_related("attachments")
    ]
    return {"items": items, "count": len(items)}


@router.post("/{hazard_id}/attachments", response={201: dict})
def upload_attachment(request, hazard_id: int, file: File[UploadedFile], stage: Form[str] = "evidence"):
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


@router.post("/{hazard_id}/listing", response={201: dict})
def list_for_supervision(request, hazard_id: int, payload: ListingIn):
    hazard = _get(request, hazard_id)
    listing.list_hazard(hazard, actor=request.user, **payload.dict())
    return Status(201, out(_get(request, hazard_id), request.user))


class TextIn(Schema):
    text: str = ""


@router.post("/{hazard_id}/progress-reports", response={201: dict})
def progress_report(request, hazard_id: int, payload: TextIn):
    report = listing.report_progress(_get(request, hazard_id), payload.text, actor=request.user)
    return Status(201, {"id": report.id, "reported_at": report.reported_at.isoformat(), "text": report.text})


@router.post("/{hazard_id}/delisting", response=dict)
def delist(request, hazard_id: int, payload: TextIn):
    listing.delist(_get(request, hazard_id), actor=request.user, comment=payload.text)
    return out(_get(request, hazard_id), request.user)


@standards_router.get("", response=dict)
def judgement_standards(request, industry: str | None = None):
    qs = JudgementStandard.objects.filter(active=True).prefetch_related("items", "industries")
    if industry:
        qs = qs.filter(industries__code=industry)
    items = [
        {
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
        for s in qs
    ]
    return {"items": items, "count": len(items)}


@stats_router.get("/hazards", response=dict)
def hazard_stats(request, params: Query[HazardFilters], group_by: str = "region"):
    """found / closed / open / overdue / rectification rate / average days to close, grouped by the chosen
    region's children, industry, level or month (`region` defaults to the caller's own)."""
    return stats.compute(request.user, params.dict(exclude_none=True), group_by)
