"""The loop's steps of an inspection over the API (mounted under /api/v1/inspections by api.py):

- `GET  /{id}/documents`                      the documents the inspection issued
- `POST /{id}/on-site-measures`               现场处理措施决定书
- `POST /{id}/rectification-orders`           责令限期整改指令书 + the review it creates
- `POST /{id}/seizures`                       强制措施决定书 (查封、扣押, seizure.py)
- `GET  /{id}/reviews`, `GET /{id}/reviews/{review_id}`
- `POST /{id}/reviews/{review_id}/record`     the review's result → 整改复查意见书

Each creating call takes an `Idempotency-Key` header (or `idempotency_key` field)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import key_from, run_once, run_payload_once
from anquan.core.scope import get_in_scope, restrict
from anquan.documents.models import Document
from anquan.standards.schemas import Id

from . import api_seizures, issuing, reviews, seizure
from .choices import ON_SITE_MEASURES
from .models import Inspection, RectificationReview
from .workflow import REVIEWS

router = Router(tags=["inspections"])

Measure = Literal[ON_SITE_MEASURES]  # type: ignore[valid-type]


class DocumentRef(Schema):
    id: int
    kind: str = Field(
        description="inspection_record | on_site_measures | coercive_measures | rectification_order | review_opinion"
    )
    kind_label: str
    number: str = Field(description="文书编号")
    status: str
    issued_at: dt.datetime
    download_url: str = Field(description="?format=docx|pdf")


class MeasuresIn(Schema):
    measures: list[Measure] = Field(default_factory=list, max_length=len(ON_SITE_MEASURES))
    other: str | None = Field(None, max_length=issuing.OTHER_MAX, description="其他措施")
    facts: str | None = Field(
        None, max_length=issuing.FACTS_MAX, description="发现的问题；不填为本次检查的不符合项"
    )
    legal_basis: str | None = Field(
        None, max_length=issuing.BASIS_MAX, description=f"不填为{issuing.MEASURES_BASIS}"
    )
    deadline: dt.date | None = Field(None, description="期限（今天或以后）")
    idempotency_key: str | None = Field(None, max_length=100)


class SeizureIn(Schema):
    measure: Literal["查封", "扣押"] = Field(description="查封 | 扣押")
    items: list[str] = Field(
        min_length=1,
        max_length=seizure.MAX_ITEMS,
        description="查封、扣押的设施、设备、器材、物品或场所，逐项",
    )
    period_days: int = Field(description="期限（日），不超过规则版本 inspections.seizure 的上限（现行30日）")
    facts: str | None = Field(
        None, max_length=issuing.FACTS_MAX, description="违法事实；不填为本次检查的不符合项"
    )
    legal_basis: str | None = Field(
        None, max_length=issuing.BASIS_MAX, description=f"不填为{seizure.SEIZURE_BASIS}"
    )
    idempotency_key: str | None = Field(None, max_length=100)


class OrderIn(Schema):
    items: list[Id] | None = Field(
        None, max_length=500, description="不符合项id；不填为尚未责令整改的全部不符合项"
    )
    legal_basis: str | None = Field(
        None, max_length=issuing.BASIS_MAX, description=f"不填为{issuing.ORDER_BASIS}"
    )
    deadline: dt.date | None = Field(
        None, description="整改期限（今天或以后）；不填为所列隐患中最晚的整改期限"
    )
    idempotency_key: str | None = Field(None, max_length=100)


class ItemResult(Schema):
    item: Id = Field(description="责令整改的检查项id")
    rectified: bool


class RecordIn(Schema):
    results: list[ItemResult] = Field(max_length=500, description="每个责令整改的检查项一条")
    note: str | None = Field(None, max_length=reviews.NOTE_MAX, description="复查意见")
    idempotency_key: str | None = Field(None, max_length=100)


class ReviewItemOut(Schema):
    item: int
    text: str
    hazard: int | None
    rectified: bool | None = Field(description="复查前为空")


class ReviewOut(Schema):
    id: int
    inspection: int
    status: Literal["pending", "rectified", "not_rectified"]
    status_label: str
    due_on: dt.date
    countdown: str = Field(description="剩余 3 天 / 今天到期 / 超期 2 天（待复查时）")
    overdue: bool
    reviewed_on: dt.date | None
    note: str
    order: DocumentRef
    opinion: DocumentRef | None
    items: list[ReviewItemOut]
    photos: list[int]
    case_url: str | None = Field(description="未整改时：立案页面（预填本次检查）")
    actions: list[str]


def doc_out(document: Document) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "number": document.number,
        "status": document.status,
        "issued_at": document.issued_at,
        "download_url": f"/api/v1/documents/{document.pk}/download",
    }


def review_out(review: RectificationReview, user: Any) -> dict[str, Any]:
    text, late = reviews.countdown_of(review, timezone.localdate())
    rows = review.items.select_related("item").order_by("item__order", "item_id")
    return {
        "id": review.pk,
        "inspection": review.inspection_id,
        "status": review.status,
        "status_label": review.get_status_display(),
        "due_on": review.due_on,
        "countdown": text,
        "overdue": late,
        "reviewed_on": review.reviewed_on,
        "note": review.note,
        "order": doc_out(review.order),
        "opinion": doc_out(review.opinion) if review.opinion is not None else None,
        "items": [
            {"item": r.item_id, "text": r.item.text, "hazard": r.item.hazard_id, "rectified": r.rectified}
            for r in rows
        ],
        "photos": [p.pk for p in review.photos.all()],
        "case_url": reviews.case_url(review) if review.status == "not_rectified" else None,
        "actions": REVIEWS.available(review, user),
    }


def _inspection(request: HttpRequest, inspection_id: int) -> Inspection:
    qs = restrict(Inspection, request.user).select_related("enterprise", "department", "region")
    return get_in_scope(qs, request.user, pk=inspection_id)


def _review(request: HttpRequest, inspection_id: int, review_id: int) -> RectificationReview:
    insp = _inspection(request, inspection_id)
    return get_in_scope(reviews.scoped(request.user).filter(inspection=insp), request.user, pk=review_id)


def _fresh(request: HttpRequest, review_id: int) -> dict[str, Any]:
    return review_out(reviews.scoped(request.user).get(pk=review_id), request.user)


@router.get("/{inspection_id}/documents", response=responses(list[DocumentRef], 404))
def inspection_documents(request: HttpRequest, inspection_id: Id) -> list[dict[str, Any]]:
    insp = _inspection(request, inspection_id)
    return [doc_out(d) for d in issuing.documents_of(insp, request.user)]


@router.post("/{inspection_id}/on-site-measures", response=responses({201: DocumentRef}, 400, 403, 404, 409))
def take_measures(request: HttpRequest, inspection_id: Id, payload: MeasuresIn) -> Any:
    """现场处理措施决定书 for the measures taken on site (one of the inspection's inspectors, started or done)."""
    insp = _inspection(request, inspection_id)

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 201, _jsonable(doc_out(issuing.take_measures(insp, raw, actor=request.user)))

    return Status(*run_payload_once(request, f"inspections.measures.{insp.pk}", payload, make))


@router.post("/{inspection_id}/seizures", response=responses({201: DocumentRef}, 400, 403, 404, 409))
def seize(request: HttpRequest, inspection_id: Id, payload: SeizureIn) -> Any:
    """强制措施决定书 for 查封 or 扣押 on site (one of the inspection's inspectors, started or done); a period beyond
    the rule version's maximum is refused (422 naming it)."""
    insp = _inspection(request, inspection_id)

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 201, _jsonable(doc_out(seizure.seize(insp, raw, actor=request.user)))

    return Status(*run_payload_once(request, f"inspections.seizure.{insp.pk}", payload, make))


# the seizures' list shares the path of the POST above (api_seizures.py has their extension and release)
router.get("/{inspection_id}/seizures", response=responses(list[api_seizures.SeizureOut], 404))(
    api_seizures.seizures
)


@router.post(
    "/{inspection_id}/rectification-orders", response=responses({201: ReviewOut}, 400, 403, 404, 409)
)
def order_rectification(request: HttpRequest, inspection_id: Id, payload: OrderIn) -> Any:
    """责令限期整改指令书 for the non-compliant items; answers the review (复查) it creates, due on the deadline."""
    insp = _inspection(request, inspection_id)

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        review = issuing.order_rectification(insp, raw, actor=request.user)
        return 201, _jsonable(_fresh(request, review.pk))

    return Status(*run_payload_once(request, f"inspections.order.{insp.pk}", payload, make))


@router.get("/{inspection_id}/reviews", response=responses(Page[ReviewOut], 404))
def list_reviews(request: HttpRequest, inspection_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    insp = _inspection(request, inspection_id)
    qs = reviews.scoped(request.user).filter(inspection=insp).order_by("due_on", "id")
    return page(qs, paging, lambda r: review_out(r, request.user))


@router.get("/{inspection_id}/reviews/{review_id}", response=responses(ReviewOut, 404))
def get_review(request: HttpRequest, inspection_id: Id, review_id: Id) -> dict[str, Any]:
    return review_out(_review(request, inspection_id, review_id), request.user)


@router.post("/{inspection_id}/reviews/{review_id}/record", response=responses(ReviewOut, 400, 403, 404, 409))
def record_review(request: HttpRequest, inspection_id: Id, review_id: Id, payload: RecordIn) -> Any:
    """The review's result, item by item, and the opinion: issues the 整改复查意见书; any item not rectified
    makes the review 未整改 (`case_url`: open a case from the inspection)."""
    review = _review(request, inspection_id, review_id)

    def create() -> tuple[int, dict[str, Any]]:
        raw = {"results": [r.dict() for r in payload.results], "note": payload.note or ""}
        reviews.record(review, raw, actor=request.user)
        return 200, _jsonable(_fresh(request, review.pk))

    key = key_from(request, payload.idempotency_key)
    status, body = run_once(request, f"inspections.review.{review.pk}", key, create)
    return Status(status, body)


def _jsonable(body: dict[str, Any]) -> dict[str, Any]:
    from .api import _json  # the answer kept by run_once: dates as ISO text

    return _json(body)
