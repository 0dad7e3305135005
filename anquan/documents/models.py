"""Official documents (执法文书): one row per issued document, its number's counter, and its events.

A document is never edited after issue: its number, context, .docx and hash are written once by
`services.issue`; the only later writes are the PDF rendered on demand (cached with its own hash) and the void
(作废) through the workflow (`workflow.py`), which keeps the number used."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department
from anquan.regions.models import Region

from .choices import STATUS_COLOURS, DocumentKind, Status

# a document is seen by whoever can see its enterprise (ADR 0007: scope through relations)
SCOPE = ScopeSpec(
    region="enterprise__region_code",
    department="enterprise__supervising_department_id",
    enterprise="enterprise_id",
)

# what may still be written on an issued row by save(): the cached PDF
AFTER_ISSUE = frozenset({"pdf", "pdf_sha256"})


class Immutable(Exception):
    """An issued document was about to be changed in place."""


def _path(instance: Document, filename: str) -> str:
    """MEDIA_ROOT/documents/<year>/<kind>-<random>.<ext> (ASCII; the download is named by the number)."""
    ext = filename.rsplit(".", 1)[-1].lower()
    return f"documents/{instance.year}/{instance.kind}-{uuid.uuid4().hex[:12]}.{ext}"


class Document(models.Model):
    scope = SCOPE

    kind = models.CharField("文书种类", max_length=30, choices=DocumentKind.choices)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED)
    # the issuing unit (执法主体): a department in a region
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    unit_name = models.CharField("执法主体", max_length=150)  # 濂溪区应急管理局, as printed
    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    number = models.CharField("文书编号", max_length=80, unique=True)
    # what the document is about: an inspection, a case … (generic, so every issuing app uses the same table)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    subject_id = models.PositiveBigIntegerField(_("object id"))
    subject = GenericForeignKey("subject_type", "subject_id")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="documents", verbose_name=_("enterprise")
    )
    context = models.JSONField("内容", default=dict)
    file = models.FileField(_("document file (.docx)"), upload_to=_path, max_length=200)
    sha256 = models.CharField(_("file SHA-256"), max_length=64)
    pdf = models.FileField(_("PDF file"), upload_to=_path, max_length=200, blank=True)
    pdf_sha256 = models.CharField(_("PDF file SHA-256"), max_length=64, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField("签发时间")
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    void_reason = models.CharField("作废理由", max_length=500, blank=True)

    class Meta:
        verbose_name = _("official document")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["enterprise", "-issued_at"]),
            models.Index(fields=["kind", "year"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "region", "kind", "year", "seq"],
                name="one_document_per_unit_kind_year_seq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        changing = set(kwargs.get("update_fields") or ())
        if self.pk is not None and (not changing or not changing <= AFTER_ISSUE):
            raise Immutable(f"document {self.pk} is issued: it is voided, never edited")
        super().save(*args, **kwargs)

    @property
    def title(self) -> str:
        return str(self.get_kind_display())

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(Status(self.status), "secondary")

    @property
    def file_stem(self) -> str:
        """The download's name without extension: 责令限期整改指令书_（濂溪）应急责改〔2026〕1号_企业."""
        return f"{self.get_kind_display()}_{self.number}_{self.enterprise.name}"


class DocumentNumberCounter(models.Model):
    """The last sequence given by one issuing unit for one kind in one year: its row is locked by the issue that
    takes the next one (numbering.py), so numbers are never repeated and, rolling back with a failed issue, never
    skipped (ADR official-documents)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    region_code = models.CharField(_("region code"), max_length=12)
    kind = models.CharField(_("document kind"), max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department", "region_code", "kind", "year"],
                name="one_document_counter_per_unit_kind_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code}/{self.department_id} {self.kind} {self.year}: {self.last}"


class DocumentEvent(WorkflowEvent):
    """Issue and void of a document (workflow.py)."""

    scope = SCOPE.via("document")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass
