"""Checklist templates (/api/v1/inspections/checklists): every version by industry, one version with its items,
and a new version made from the one in use (POST …/{id}/versions; province office or system administrator)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from anquan.core.contract import Page, PageParams, page, responses
from anquan.standards.schemas import Id

from . import checklists
from .models import ChecklistItem, ChecklistTemplate

router = Router(tags=["inspections"])


class ChecklistItemIn(Schema):
    text: str = Field(max_length=checklists.TEXT_MAX, description="检查内容")
    basis: str | None = Field(None, max_length=checklists.BASIS_MAX, description="检查依据（法规条款）")
    judgement_item: Id | None = Field(
        None, description="重大事故隐患判定标准条目id：不符合即为重大事故隐患；不填为通用检查项"
    )
    source: str | None = Field(
        None, max_length=checklists.SOURCE_MAX, description="来源；不填按判定标准或通用检查项"
    )


class ChecklistVersionIn(Schema):
    items: list[ChecklistItemIn] = Field(
        max_length=checklists.MAX_ITEMS, description="新版本的全部检查项，按顺序排列"
    )
    note: str = Field(max_length=checklists.NOTE_MAX, description="修订说明：改了什么、为什么")


class ChecklistItemOut(Schema):
    id: int
    order: int
    text: str
    basis: str
    major: bool = Field(description="重大事故隐患判定标准条目：不符合即为重大事故隐患")
    judgement_item: int | None
    judgement_citation: str = Field(
        description="判定标准条款，如《…》（安监总管三〔2017〕121号）第5项；通用项为空"
    )
    source: str = Field(description="来源：判定标准条款或通用检查项")


class ChecklistOut(Schema):
    id: int
    industry: str = Field(description="行业代码")
    industry_name: str
    name: str
    version: int
    active: bool = Field(description="当前使用的版本")
    note: str
    item_count: int
    created_by: str | None
    created_at: dt.datetime


class ChecklistDetailOut(ChecklistOut):
    items: list[ChecklistItemOut]


class ChecklistFilters(Schema):
    industry: str | None = Field(None, max_length=50, description="行业代码")
    active: bool | None = Field(None, description="true：只列当前使用的版本")


def _item_out(item: ChecklistItem) -> dict[str, Any]:
    judgement = item.judgement_item
    return {
        "id": item.pk,
        "order": item.order,
        "text": item.text,
        "basis": item.basis,
        "major": item.judgement_item_id is not None,
        "judgement_item": item.judgement_item_id,
        "judgement_citation": judgement.citation if judgement is not None else "",
        "source": checklists.source_of(item),
    }


def _out(t: ChecklistTemplate, *, items: bool = False) -> dict[str, Any]:
    rows = checklists.items_of(t) if items else []
    body: dict[str, Any] = {
        "id": t.pk,
        "industry": t.industry.code,
        "industry_name": t.industry.name,
        "name": t.name,
        "version": t.version,
        "active": t.active,
        "note": t.note,
        "item_count": len(rows) if items else getattr(t, "item_count", None) or t.items.count(),
        "created_by": t.created_by.username if t.created_by else None,
        "created_at": t.created_at,
    }
    if items:
        body["items"] = [_item_out(i) for i in rows]
    return body


def _get(request: HttpRequest, checklist_id: int) -> ChecklistTemplate:
    found = checklists.readable(request.user).filter(pk=checklist_id).first()
    if found is None:
        raise Http404
    return found


@router.get("", response=responses(Page[ChecklistOut], 400))
def list_checklists(
    request: HttpRequest, params: Query[ChecklistFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs: QuerySet[ChecklistTemplate] = checklists.readable(request.user)
    if params.industry:
        qs = qs.filter(industry__code=params.industry)
    if params.active is not None:
        qs = qs.filter(active=params.active)
    return page(qs.order_by("industry__code", "name", "-version"), paging, _out)


@router.get("/{checklist_id}", response=responses(ChecklistDetailOut, 404))
def get_checklist(request: HttpRequest, checklist_id: Id) -> dict[str, Any]:
    return _out(_get(request, checklist_id), items=True)


@router.post(
    "/{checklist_id}/versions", response=responses({201: ChecklistDetailOut}, 400, 403, 404, 409, 415)
)
def new_checklist_version(request: HttpRequest, checklist_id: Id, payload: ChecklistVersionIn) -> Any:
    """The next version of a checklist from the one in use (`checklist_id` must be it: an older version answers
    409), with all its items in order and a note. Inspections already planned keep their version's items."""
    template = _get(request, checklist_id)
    items = [i.dict() for i in payload.items]
    fresh = checklists.edit(template, items, note=payload.note, actor=request.user)
    return Status(201, _out(checklists.readable(request.user).get(pk=fresh.pk), items=True))
