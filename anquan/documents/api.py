"""/api/v1/documents: official documents (执法文书) in the caller's scope — list, detail, download (.docx or PDF)
and void (作废). Documents are issued by the apps that own their subject (inspections, cases) through
`services.issue`; there is no generic create endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import FileResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.pdf import PdfUnavailable
from anquan.core.scope import get_in_scope

from . import filters, services
from .choices import DocumentKind, Status
from .models import Document
from .workflow import FLOW

router = Router(tags=["documents"])

MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class DocumentFilters(Schema):
    enterprise: int | None = Field(None, ge=1, le=MAX_ID, description="企业编号")
    kind: DocumentKind | None = Field(None, description="文书种类")
    year: int | None = Field(None, ge=filters.YEAR_MIN, le=filters.YEAR_MAX, description="年度")
    department: int | None = Field(None, ge=1, le=MAX_ID, description="签发部门编号")
    region: str | None = Field(None, max_length=12, description="签发单位的地区代码")
    status: Status | None = Field(None, description="issued 已签发 / voided 已作废")


class EnterpriseRef(Schema):
    id: int
    name: str
    uscc: str


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    status: str
    status_label: str
    number: str = Field(description="文书编号，如（濂溪）应急责改〔2026〕1号")
    year: int
    seq: int
    unit_name: str = Field(description="执法主体")
    department: str
    region: str = Field(description="执法主体的地区代码")
    enterprise: EnterpriseRef
    subject_type: str = Field(description="文书所涉记录的类型（app_label.model）")
    subject_id: int
    context: dict[str, Any] = Field(description="生成文书所用的内容（按文书种类的结构）")
    sha256: str = Field(description=".docx 文件的 SHA-256")
    pdf_sha256: str = Field(description="PDF 的 SHA-256（首次下载PDF后才有）")
    issued_by: str | None
    issued_at: dt.datetime
    voided_at: dt.datetime | None
    void_reason: str
    actions: list[str]
    download_url: str


class VoidIn(Schema):
    reason: str = Field(min_length=1, max_length=services.REASON_MAX, description="作废理由")


def out(document: Document, user: Any) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "status": document.status,
        "status_label": document.get_status_display(),
        "number": document.number,
        "year": document.year,
        "seq": document.seq,
        "unit_name": document.unit_name,
        "department": document.department.name,
        "region": document.region.code,
        "enterprise": {
            "id": document.enterprise_id,
            "name": document.enterprise.name,
            "uscc": document.enterprise.uscc,
        },
        "subject_type": f"{document.subject_type.app_label}.{document.subject_type.model}",
        "subject_id": document.subject_id,
        "context": document.context,
        "sha256": document.sha256,
        "pdf_sha256": document.pdf_sha256,
        "issued_by": (document.issued_by.get_full_name() or document.issued_by.username)
        if document.issued_by
        else None,
        "issued_at": document.issued_at,
        "voided_at": document.voided_at,
        "void_reason": document.void_reason,
        "actions": FLOW.available(document, user),
        "download_url": f"/api/v1/documents/{document.pk}/download",
    }


@router.get("", response=responses(Page[DocumentOut], 400))
def list_documents(
    request: AuthedRequest, params: Query[DocumentFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = filters.apply(
        services.scoped(request.user).select_related("subject_type"), params.dict(exclude_none=True)
    )
    return page(qs, paging, lambda d: out(d, request.user))


@router.get("/{document_id}", response=responses(DocumentOut, 404))
def get_document(request: AuthedRequest, document_id: Id) -> dict[str, Any]:
    return out(get_in_scope(services.scoped(request.user), request.user, pk=document_id), request.user)


@router.get(
    "/{document_id}/download",
    response=responses({200: None}, 404),
    openapi_extra={
        "responses": {
            200: {"description": "文书文件（.docx 或 PDF）", "content": {services.DOCX: {}, services.PDF: {}}}
        }
    },
)
def download_document(
    request: AuthedRequest,
    document_id: Id,
    format: Literal["docx", "pdf"] = "docx",  # noqa: A002 (the API's name)
) -> FileResponse:
    """The file named by its kind, number and enterprise; 404 outside the caller's scope; 503 when the PDF
    cannot be produced on this server now."""
    try:
        return services.download(request.user, document_id, format)
    except PdfUnavailable:
        raise HttpError(503, "服务器暂时无法生成PDF，请下载Word版本") from None


@router.post("/{document_id}/void", response=responses(DocumentOut, 400, 403, 404, 409))
def void_document(request: AuthedRequest, body: VoidIn, document_id: Id) -> dict[str, Any]:
    """作废 (the issuing department's supervisor): the document stays on file, its number is never reused."""
    document = get_in_scope(services.scoped(request.user), request.user, pk=document_id)
    return out(services.void(document, reason=body.reason, actor=request.user), request.user)
