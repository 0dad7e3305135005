"""Issuing, voiding and reading official documents. Other apps call `issue` (inspections: 现场检查记录,
责令限期整改指令书 …; cases: 立案审批表 … 结案审批表) with their record as the subject:

    issue(kind, unit, subject, context, actor, *, enterprise=None, now=None) -> Document

One transaction: the context checked by the kind's schema (schemas.py; 422 naming each field), the number taken
from the locked counter (numbering.py), the .docx rendered from the kind's template (render.py), the row with the
file and its SHA-256, the `issue` event and the audit entry. Anything failing rolls all of it back, the number
included, so numbers are never skipped nor repeated."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone

from anquan.core import audit
from anquan.core.choices import AuditAction
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.pdf import to_pdf
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, in_scope, restrict
from anquan.core.titles import titled
from anquan.core.uploads import file_response
from anquan.core.xlsx import UNSAFE_IN_NAME
from anquan.enterprises.models import Enterprise
from anquan.orgs.units import Unit as Unit  # re-exported: the issuing unit, for the apps issuing documents
from anquan.orgs.units import unit_of as unit_of
from anquan.rules.models import RuleVersion

from . import numbering, render, schemas
from .models import Document
from .workflow import FLOW

REASON_MAX = 500


def party_of(enterprise: Enterprise) -> dict[str, str]:
    """The party block of a document addressed to `enterprise`, from the registry (a caller may complete it)."""
    return {
        "name": enterprise.name,
        "address": enterprise.address,
        "legal_representative": enterprise.legal_representative or enterprise.principal_name,
        "uscc": enterprise.uscc,
        "phone": enterprise.principal_phone,
    }


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_actor(unit: Unit, actor: Any, enterprise: Enterprise) -> None:
    if not has_perm(actor, Perm.DOCUMENT_ISSUE):
        raise NotPermitted("您无权签发执法文书")
    if actor.department_id != unit.department.pk or actor.region_id != unit.region.pk:
        raise NotPermitted("只能以本单位（本部门、本地区）的名义签发执法文书")
    if not in_scope(enterprise, actor):
        raise Http404


def issue(
    kind: str,
    unit: Unit,
    subject: models.Model,
    context: dict[str, Any] | schemas.Base,
    actor: Any,
    *,
    enterprise: Enterprise | None = None,
    now: dt.datetime | None = None,
) -> Document:
    """Issue a document of `kind` (choices.DocumentKind) by `unit` about `subject` (an inspection, a case …; any
    saved row) addressed to `enterprise` (default: `subject.enterprise`). `context` is the kind's schema
    (schemas.SCHEMAS[kind]) or a dict it accepts. Raises ValidationFailed (422, fields `context.<path>`),
    NotPermitted (403), Http404 (the enterprise outside the actor's scope)."""
    now = now or timezone.now()
    ctx = schemas.validate(kind, context)
    if enterprise is None:
        enterprise = subject if isinstance(subject, Enterprise) else getattr(subject, "enterprise", None)
    if not isinstance(enterprise, Enterprise):
        raise ValidationFailed([FieldError("enterprise", "required", "请指定文书送达的企业")])
    if subject.pk is None:
        raise ValidationFailed([FieldError("subject", "required", "文书所涉记录尚未保存")])
    _check_actor(unit, actor, enterprise)
    today = timezone.localtime(now).date()
    if ctx.issued_on is None:
        ctx = ctx.model_copy(update={"issued_on": today})
    with transaction.atomic():
        numbered = numbering.next_number(unit.department, unit.region, kind, today)
        data = render.render_docx(
            kind,
            render.template_context(
                kind, ctx, number=numbered.number, unit_name=unit.name, region_name=unit.region.name
            ),
        )
        document = Document(
            kind=kind,
            department=unit.department,
            region=unit.region,
            unit_name=unit.name,
            year=numbered.year,
            seq=numbered.seq,
            number=numbered.number,
            subject_type=ContentType.objects.get_for_model(subject),
            subject_id=subject.pk,
            enterprise=enterprise,
            context=ctx.model_dump(mode="json"),
            sha256=sha256(data),
            issued_by=actor,
            issued_at=now,
        )
        document.file.save(f"{kind}.docx", ContentFile(data), save=False)
        document.save()
        FLOW.record_event(
            document,
            "issue",
            actor=actor,
            now=now,
            from_status="",
            data={
                "number": document.number,
                "sha256": document.sha256,
                "rule_version": numbered.rule_version,
            },
        )
        after = audit.snapshot(document)
        after["context"] = titled(
            schemas.SCHEMAS[kind], after["context"]
        )  # read by people: 当事人, 违法事实 …
        audit.record(AuditAction.CREATE, document, actor=actor, after=after)
    return document


def void(document: Document, *, reason: str, actor: Any, now: dt.datetime | None = None) -> Document:
    """作废 with a reason: 404 out of scope, 409 already voided or changed meanwhile, 403 not the issuing
    department's supervisor, 422 no reason. The number stays used."""
    FLOW.check(document, "void", actor)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationFailed([FieldError("reason", "required", "请填写作废理由")])
    if len(reason) > REASON_MAX:
        raise ValidationFailed([FieldError("reason", "too_long", f"作废理由不能超过{REASON_MAX}个字")])
    now = now or timezone.now()
    stored, _event = FLOW.apply(
        document,
        "void",
        actor=actor,
        changes={"voided_at": now, "void_reason": reason},
        comment=reason,
        now=now,
        audit_comment=f"作废{document.number}：{reason}",
    )
    return stored


def pdf_of(document: Document, actor: Any = None) -> bytes:
    """The PDF, converted once by LibreOffice from the stored .docx and kept with its own hash (raises
    core.pdf.PdfUnavailable when LibreOffice cannot run)."""
    if document.pdf:
        with document.pdf.open("rb") as handle:
            cached: bytes = handle.read()
        return cached
    with document.file.open("rb") as handle:
        data = to_pdf(handle.read())
    with transaction.atomic():
        fresh = Document.objects.select_for_update().get(pk=document.pk)
        if not fresh.pdf:  # another request may have converted it meanwhile
            fresh.pdf.save(f"{fresh.kind}.pdf", ContentFile(data), save=False)
            fresh.pdf_sha256 = sha256(data)
            fresh.save(update_fields=["pdf", "pdf_sha256"])
            audit.record(
                AuditAction.UPDATE,
                fresh,
                actor=actor,
                after={"pdf_sha256": fresh.pdf_sha256},
                comment=f"生成PDF：{fresh.number}",
            )
        document.pdf, document.pdf_sha256 = fresh.pdf, fresh.pdf_sha256
    return data


def scoped(user: Any) -> QuerySet[Document]:
    return restrict(Document, user).select_related("enterprise", "department", "region", "issued_by")


def for_subject(obj: models.Model, user: Any | None = None) -> QuerySet[Document]:
    """The documents issued about `obj` (an inspection, a case …), oldest first; narrowed to `user`'s scope when
    given."""
    qs = (
        scoped(user)
        if user is not None
        else Document.objects.select_related("enterprise", "department", "region")
    )
    return qs.filter(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk).order_by(
        "issued_at", "id"
    )


def for_enterprise(enterprise: Enterprise, user: Any | None = None) -> QuerySet[Document]:
    """The documents addressed to `enterprise`, newest first; narrowed to `user`'s scope when given."""
    qs = (
        scoped(user)
        if user is not None
        else Document.objects.select_related("enterprise", "department", "region")
    )
    return qs.filter(enterprise=enterprise).order_by("-issued_at", "-id")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
FORMATS = ("docx", "pdf")


def download(user: Any, pk: int, fmt: str) -> FileResponse:
    """The .docx or the PDF named 责令限期整改指令书_（濂溪）应急责改〔2026〕1号_企业.docx (RFC 6266 `filename*`);
    404 out of scope; PdfUnavailable when LibreOffice cannot convert."""
    if fmt not in FORMATS:
        raise ValidationFailed([FieldError("format", "invalid_choice", "格式应为 docx 或 pdf")])
    document = get_in_scope(scoped(user), user, pk=pk)
    name = UNSAFE_IN_NAME.sub("_", document.file_stem)
    if fmt == "pdf":
        pdf_of(document, actor=user)
        return file_response(document.pdf, content_type=PDF, name=f"{name}.pdf")
    return file_response(document.file, content_type=DOCX, name=f"{name}.docx")


def numbering_rule_of(document: Document) -> RuleVersion | None:
    """The version of documents.numbering the number was made by (kept on the issue event)."""
    event = document.events.filter(action="issue").first()
    version_id = (event.data or {}).get("rule_version") if event is not None else None
    return RuleVersion.objects.filter(pk=version_id).first() if version_id else None
