"""/api/v1 routes of letters: /letters (list with filters, create — a draft or issued at once —, one letter with its
reply, attachments and history), /letters/{id}/transitions (issue, reply, close, send_back, withdraw),
/letters/{id}/events, /letters/{id}/reply (the recipient's reply with files, multipart) and the files."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.idempotency import run_payload_once
from anquan.core.scope import get_in_scope
from anquan.core.todo import NOTHING
from anquan.core.uploads import file_response
from anquan.regions.inputs import subtree
from anquan.standards.schemas import Id, RegionCode

from . import document, services, todo
from .choices import Action, LetterKind, LetterStatus
from .models import Letter, LetterAttachment
from .workflow import FLOW

router = Router(tags=["提示督办函"])


class LetterIn(Schema):
    kind: LetterKind = Field(description="reminder 工作提示函 | supervision 督办函 | interview 约谈")
    recipient_region: RegionCode = Field(
        description="受函地区代码：本单位以下的地区，或本级/下级部门所在地区"
    )
    recipient_department: str | None = Field(
        None, max_length=50, description="受函部门名称（空：该地区政府）"
    )
    subject: str = Field(max_length=200, description="事由（关于…的）")
    body: str = Field(max_length=20000)
    required_actions: str = Field(max_length=5000, description="工作要求，每行一条")
    reply_due: dt.date = Field(description="回复期限（不早于今天）")
    interview_at: dt.datetime | None = Field(None, description="约谈时间（约谈必填）")
    interview_place: str | None = Field(None, max_length=200, description="约谈地点（约谈必填）")
    task: int | None = Field(None, ge=1, description="所涉攻坚任务的id")
    issue: bool = Field(False, description="true: 立即发出（编号）；false: 保存草稿")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class LetterTransitionIn(Schema):
    action: Literal["issue", "reply", "close", "send_back", "withdraw"]
    reply: str | None = Field(
        None, max_length=20000, description="reply: 回复内容（附件用 /reply 的 multipart）"
    )
    opinion: str | None = Field(None, max_length=20000, description="close: 办结意见")
    reason: str | None = Field(None, max_length=20000, description="send_back, withdraw: 理由")


class LetterEventOut(Schema):
    id: int
    action: str
    action_label: str
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    comment: str
    data: dict[str, Any]


class LetterFileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    of_reply: bool
    url: str


class LetterOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    title: str
    issuer_region: str
    issuer: str
    recipient_region: str
    recipient_department: str | None
    recipient: str
    subject: str
    reply_due: dt.date
    overdue: bool
    task: int | None
    status: str
    status_label: str
    issued_on: dt.date | None
    replied_on: dt.date | None
    replied_late: bool | None
    closed_on: dt.date | None
    actions: list[str]


class LetterDetailOut(LetterOut):
    body: str
    required_actions: str
    interview_at: dt.datetime | None
    interview_place: str
    reply: str
    files: list[LetterFileOut]
    events: list[LetterEventOut]


class LetterFilters(Schema):
    kind: LetterKind | None = None
    status: LetterStatus | None = None
    recipient: RegionCode | None = Field(None, description="受函地区代码（含下级）")
    overdue: bool | None = Field(None, description="true: 只看逾期未回复的")
    box: Literal["reply", "reply_overdue", "review", "issued_overdue"] | None = Field(
        None,
        description="待办：reply 待回复 · reply_overdue 逾期待回复 · review 待审核回复 · issued_overdue 发出后逾期",
    )


LABELS = {str(a.value): str(a.label) for a in Action}


def _events(letter: Letter) -> list[dict[str, Any]]:
    return [e.as_json() | {"action_label": LABELS.get(e.action, e.action)} for e in letter.events.all()]


def letter_out(letter: Letter, user: Any, *, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": letter.pk,
        "kind": letter.kind,
        "kind_label": letter.get_kind_display(),
        "number": letter.number,
        "title": document.title(letter),
        "issuer_region": letter.issuer_region.code,
        "issuer": document.issuer_name(letter),
        "recipient_region": letter.recipient_region.code,
        "recipient_department": letter.recipient_department.name if letter.recipient_department else None,
        "recipient": document.recipient_name(letter),
        "subject": letter.subject,
        "reply_due": letter.reply_due,
        "overdue": letter.status == LetterStatus.OVERDUE,
        "task": letter.task_id,
        "status": letter.status,
        "status_label": letter.get_status_display(),
        "issued_on": letter.issued_on,
        "replied_on": letter.replied_on,
        "replied_late": letter.replied_on > letter.reply_due if letter.replied_on else None,
        "closed_on": letter.closed_on,
        "actions": [a for a in FLOW.available(letter, user) if a != Action.MARK_OVERDUE],
    }
    if full:
        out |= {
            "body": letter.body,
            "required_actions": letter.required_actions,
            "interview_at": letter.interview_at,
            "interview_place": letter.interview_place,
            "reply": letter.reply,
            "files": [
                {
                    "id": f.pk,
                    "name": f.name,
                    "content_type": f.content_type,
                    "size": f.size,
                    "of_reply": f.of_reply,
                    "url": f"/api/v1/letters/{letter.pk}/files/{f.pk}",
                }
                for f in letter.attachments.all()
            ],
            "events": _events(letter),
        }
    return out


def _letters(request: AuthedRequest) -> QuerySet[Letter]:
    return services.letters_for(request.user)


def _detail(request: AuthedRequest, pk: int) -> dict[str, Any]:
    return letter_out(_letters(request).get(pk=pk), request.user, full=True)


@router.get("/letters", response=responses(Page[LetterOut]))
def list_letters(
    request: AuthedRequest, filters: Query[LetterFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _letters(request)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.recipient:
        qs = qs.filter(subtree(filters.recipient))
    if filters.overdue is not None:
        qs = (
            qs.filter(status=LetterStatus.OVERDUE)
            if filters.overdue
            else qs.exclude(status=LetterStatus.OVERDUE)
        )
    if filters.box:
        condition = todo.box(request.user, filters.box)
        qs = qs.none() if condition == NOTHING else qs.filter(condition)
    return page(qs, paging, lambda letter: letter_out(letter, request.user))


@router.post("/letters", response=responses({201: LetterDetailOut}, 400, 403, 404, 409, 415))
def create_letter(request: AuthedRequest, payload: LetterIn) -> Status[dict[str, Any]]:
    """A draft letter of the caller's office (`issue`: issued at once, numbered). Only a province, city or county
    office writes, and only to a region below it or to a department at its level or below."""

    def make(raw: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        issue = bool(raw.pop("issue", False))
        letter = services.create_letter(raw, actor=request.user, issue=issue)
        return 201, _detail(request, letter.pk)

    status, body = run_payload_once(request, "letters.create", payload, make)
    return Status(status, body)


@router.get("/letters/{letter_id}", response=responses(LetterDetailOut, 404))
def get_letter(request: AuthedRequest, letter_id: Id) -> dict[str, Any]:
    return letter_out(get_in_scope(_letters(request), request.user, pk=letter_id), request.user, full=True)


@router.get("/letters/{letter_id}/events", response=responses(list[LetterEventOut], 404))
def letter_events(request: AuthedRequest, letter_id: Id) -> list[dict[str, Any]]:
    return _events(get_in_scope(_letters(request), request.user, pk=letter_id))


@router.post("/letters/{letter_id}/transitions", response=responses(LetterDetailOut, 400, 403, 404, 409, 415))
def letter_transition(request: AuthedRequest, letter_id: Id, payload: LetterTransitionIn) -> dict[str, Any]:
    """`issue` (numbered now) · `reply` (reply; by the recipient) · `close` (opinion) · `send_back` (reason: 退回重新
    回复) · `withdraw` (reason). Steps of the issuing office but `reply`."""
    letter = get_in_scope(_letters(request), request.user, pk=letter_id)
    services.transition(letter, payload.action, actor=request.user, **payload.dict(exclude={"action"}))
    return _detail(request, letter.pk)


class ReplyIn(Schema):
    reply: str = Field(max_length=20000, description="回复内容")


@router.post("/letters/{letter_id}/reply", response=responses(LetterDetailOut, 400, 403, 404, 409, 413, 415))
def reply_letter(
    request: AuthedRequest,
    letter_id: Id,
    payload: Form[ReplyIn],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> dict[str, Any]:
    """The recipient's reply with its files (multipart: `reply` and up to 10 `files`: photos, PDF, Word, Excel)."""
    letter = get_in_scope(_letters(request), request.user, pk=letter_id)
    services.transition(
        letter, Action.REPLY, actor=request.user, files=list(files or []), reply=payload.reply
    )
    return _detail(request, letter.pk)


@router.get(
    "/letters/{letter_id}/files/{file_id}",
    response=responses({200: bytes}, 404),
    openapi_extra={"responses": {200: {"description": "附件", "content": {"application/octet-stream": {}}}}},
)
def letter_file(request: AuthedRequest, letter_id: Id, file_id: Id) -> FileResponse:
    letter = get_in_scope(_letters(request), request.user, pk=letter_id)
    row = LetterAttachment.objects.filter(letter=letter, pk=file_id).first()
    if row is None:
        raise Http404
    return file_response(row.file, content_type=row.content_type, name=row.name)
