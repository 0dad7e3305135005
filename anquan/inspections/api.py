"""Inspections (/api/v1/inspections, + /items, /transitions, /signature)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import run_payload_once
from anquan.core.scope import get_in_scope, restrict
from anquan.standards.schemas import Id

from . import filters, services
from .models import Inspection, InspectionItem, InspectionSignature
from .workflow import INSPECTIONS

router = Router(tags=["inspections"])

KindCode = Literal["plan", "random", "complaint", "special", "review"]
StatusCode = Literal["planned", "in_progress", "done", "cancelled"]
ResultCode = Literal["compliant", "noncompliant", "not_applicable"]


class InspectionIn(Schema):
    enterprise: str = Field(max_length=18, description="被检查企业：统一社会信用代码或企业id")
    kind: KindCode = Field(
        "plan",
        description="plan 计划检查 | random 双随机抽查 | complaint 举报核查 | special 专项检查 | review 复查",
    )
    planned_on: dt.date = Field(description="计划检查日期")
    inspectors: list[str] | None = Field(
        None, max_length=services.MAX_INSPECTORS, description="执法人员用户名；不填为本人"
    )
    template: Id | None = Field(None, description="检查表版本id；不填为企业所属行业当前使用的检查表")
    note: str | None = Field(None, max_length=services.NOTE_MAX)
    idempotency_key: str | None = Field(None, max_length=100, description="或 Idempotency-Key 请求头")


class ItemResultIn(Schema):
    item: Id | None = Field(None, description="检查项id；不填则新增一项现场检查项（须填 text）")
    text: str | None = Field(None, max_length=services.TEXT_MAX, description="现场新增检查项的内容")
    basis: str | None = Field(None, max_length=services.BASIS_MAX, description="现场新增检查项的依据")
    result: ResultCode = Field(description="compliant 符合 | noncompliant 不符合 | not_applicable 不适用")
    note: str | None = Field(None, max_length=services.NOTE_MAX, description="发现的问题（不符合时必填）")
    idempotency_key: str | None = Field(
        None, max_length=100, description="每个检查结果一个；或 Idempotency-Key 请求头"
    )


class TransitionIn(Schema):
    action: Literal["start", "complete", "cancel"]
    signatory_name: str | None = Field(
        None, max_length=services.SIGNATORY_MAX, description="complete：企业签字人"
    )
    reason: str | None = Field(None, max_length=services.REASON_MAX, description="cancel：取消原因")


class ItemOut(Schema):
    id: int
    order: int
    text: str
    basis: str
    major: bool = Field(description="重大事故隐患判定标准条目：不符合即为重大事故隐患")
    judgement_item: int | None
    free: bool = Field(description="现场新增的检查项")
    result: str = Field(description="compliant | noncompliant | not_applicable | 空（未检查）")
    note: str
    hazard: int | None = Field(description="不符合时生成的隐患id")
    photos: list[int]
    recorded_at: dt.datetime | None


class InspectionOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    unit: str = Field(description="执法主体，如 濂溪区应急管理局")
    department: int
    region: str
    kind: str
    planned_on: dt.date
    started_at: dt.datetime | None
    done_at: dt.datetime | None
    inspectors: list[str]
    template: int | None
    status: str
    cancel_reason: str
    signatory_name: str
    signature: int | None
    note: str
    progress: dict[str, int] = Field(description="checked 已查, total 共计")
    actions: list[str] = Field(description="当前用户可执行的操作")


class InspectionDetailOut(InspectionOut):
    items: list[ItemOut]


class Filters(Schema):
    department: Id | None = Field(None, description="执法部门id")
    region: str | None = Field(None, max_length=12, description="执法主体所在区域代码（含下级）")
    enterprise: str | None = Field(None, max_length=100, description="企业名称、统一社会信用代码或id")
    kind: KindCode | None = None
    status: StatusCode | None = None
    month: str | None = Field(None, max_length=7, description="计划日期所在月份 YYYY-MM")
    inspector: str | None = Field(None, max_length=150, description="执法人员用户名")


def _json(body: dict[str, Any]) -> dict[str, Any]:
    """An answer kept by run_once (a JSON column): dates as ISO text, as the answer itself gives them."""
    result: dict[str, Any] = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    return result


def _qs(request: HttpRequest) -> QuerySet[Inspection]:
    return restrict(Inspection, request.user).select_related("enterprise", "department", "region")


def _item_out(item: InspectionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "order": item.order,
        "text": item.text,
        "basis": item.basis,
        "major": item.judgement_item_id is not None,
        "judgement_item": item.judgement_item_id,
        "free": item.free,
        "result": item.result,
        "note": item.note,
        "hazard": item.hazard_id,
        "photos": [p.pk for p in item.photos.all()],
        "recorded_at": item.recorded_at,
    }


def out(insp: Inspection, user: Any, *, items: bool = False) -> dict[str, Any]:
    rows = list(insp.items.prefetch_related("photos").order_by("order", "id")) if items else []
    total = len(rows) if items else insp.items.count()
    checked = sum(1 for r in rows if r.result) if items else insp.items.exclude(result="").count()
    signature = InspectionSignature.objects.filter(inspection=insp).values_list("pk", flat=True).first()
    body = {
        "id": insp.pk,
        "enterprise": insp.enterprise.uscc,
        "enterprise_name": insp.enterprise.name,
        "unit": insp.unit_name,
        "department": insp.department_id,
        "region": insp.region.code,
        "kind": insp.kind,
        "planned_on": insp.planned_on,
        "started_at": insp.started_at,
        "done_at": insp.done_at,
        "inspectors": sorted(u.username for u in insp.inspectors.all()),
        "template": insp.template_id,
        "status": insp.status,
        "cancel_reason": insp.cancel_reason,
        "signatory_name": insp.signatory_name,
        "signature": signature,
        "note": insp.note,
        "progress": {"checked": checked, "total": total},
        "actions": INSPECTIONS.available(insp, user),
    }
    if items:
        body["items"] = [_item_out(r) for r in rows]
    return body


@router.get("", response=responses(Page[InspectionOut], 400))
def list_inspections(
    request: HttpRequest, params: Query[Filters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = filters.apply(_qs(request).prefetch_related("inspectors"), params.dict(exclude_none=True))
    return page(qs.order_by("-planned_on", "-id"), paging, lambda i: out(i, request.user))


@router.post("", response=responses({201: InspectionDetailOut}, 400, 403, 409, 415))
def create_inspection(request: HttpRequest, payload: InspectionIn) -> Any:
    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        insp = services.create(raw, actor=request.user)
        return 201, _json(out(_qs(request).get(pk=insp.pk), request.user, items=True))

    return Status(*run_payload_once(request, "inspections.create", payload, make))


@router.get("/{inspection_id}", response=responses(InspectionDetailOut, 404))
def get_inspection(request: HttpRequest, inspection_id: Id) -> dict[str, Any]:
    insp = get_in_scope(_qs(request), request.user, pk=inspection_id)
    return out(insp, request.user, items=True)


@router.get("/{inspection_id}/items", response=responses(Page[ItemOut], 404))
def list_items(request: HttpRequest, inspection_id: Id, paging: Query[PageParams]) -> dict[str, Any]:
    insp = get_in_scope(_qs(request), request.user, pk=inspection_id)
    return page(insp.items.prefetch_related("photos").order_by("order", "id"), paging, _item_out)


@router.post("/{inspection_id}/items", response=responses({201: ItemOut}, 400, 403, 404, 409, 415))
def record_item(request: HttpRequest, inspection_id: Id, payload: ItemResultIn) -> Any:
    """Record one item's result (a free item when `item` is left out). Idempotent per key: a resend with the
    same key answers the first answer; a non-compliant item makes its hazard once whatever is resent."""
    insp = get_in_scope(_qs(request), request.user, pk=inspection_id)

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        item = services.record_result(insp, raw, actor=request.user)
        return 201, _json(_item_out(InspectionItem.objects.prefetch_related("photos").get(pk=item.pk)))

    return Status(*run_payload_once(request, f"inspections.item.{insp.pk}", payload, make))


@router.post(
    "/{inspection_id}/items/{item_id}/photos",
    response=responses({201: ItemOut}, 400, 403, 404, 409, 413, 415),
)
def upload_item_photo(request: HttpRequest, inspection_id: Id, item_id: Id, file: File[UploadedFile]) -> Any:
    """A photo of a checked item (multipart `file`); also attached to the hazard the item made."""
    insp = get_in_scope(_qs(request), request.user, pk=inspection_id)
    item = get_in_scope(InspectionItem.objects.filter(inspection=insp), request.user, pk=item_id)
    services.photo(item, file, actor=request.user)
    return Status(201, _item_out(InspectionItem.objects.prefetch_related("photos").get(pk=item.pk)))


@router.post(
    "/{inspection_id}/signature", response=responses({201: InspectionOut}, 400, 403, 404, 409, 413, 415)
)
def upload_signature(request: HttpRequest, inspection_id: Id, file: File[UploadedFile]) -> Any:
    """The enterprise signatory's signature as a PNG (multipart `file`); a new one replaces the old."""
    insp = get_in_scope(_qs(request), request.user, pk=inspection_id)
    services.set_signature(insp, file, actor=request.user)
    return Status(201, out(_qs(request).get(pk=insp.pk), request.user))


@router.post("/{inspection_id}/transitions", response=responses(InspectionDetailOut, 400, 403, 404, 409, 415))
def move_inspection(request: HttpRequest, inspection_id: Id, payload: TransitionIn) -> dict[str, Any]:
    """start | complete (signatory_name; needs ≥ 2 inspectors, every item checked and the signature) | cancel (reason)."""
    insp = get_in_scope(_qs(request), request.user, pk=inspection_id)
    fields = payload.dict(exclude_none=True)
    action = fields.pop("action")
    services.transition(insp, action, actor=request.user, **fields)
    return out(_qs(request).get(pk=insp.pk), request.user, items=True)


# the loop's steps (documents, on-site measures, rectification orders and their reviews): api_reviews.py
from .api_reviews import router as _loop_router  # noqa: E402

router.add_router("", _loop_router)

# a 查封、扣押's life (extension, release): api_seizures.py
from .api_seizures import router as _seizure_router  # noqa: E402

router.add_router("", _seizure_router)
