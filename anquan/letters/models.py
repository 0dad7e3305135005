"""Letters of a committee office (安委办) to a department or a region below it: 工作提示函, 督办函 and 约谈.

A letter is issued by the office of `issuer_region` to `recipient_region` (its government, when
`recipient_department` is empty) or to one department's office there; it names the required actions and a reply
deadline, may concern a campaign task, and is tracked to the recipient's reply and the office's closure.
Scope: the issuer's area sees it (`region_code` = the recipient's region lies under the issuer's), and the
recipient through its region and department."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.orgs.models import Department
from anquan.regions.models import Region

from .choices import LetterKind, LetterStatus


class Letter(models.Model):
    scope = ScopeSpec(region="region_code", department="recipient_department_id")

    kind = models.CharField(_("letter kind"), max_length=12, choices=LetterKind.choices)
    number = models.CharField(_("letter number"), max_length=60, blank=True)  # given when issued
    issuer_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing office")
    )
    recipient_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient region")
    )
    recipient_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recipient department"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)  # the recipient's region
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("letter text"))
    required_actions = models.TextField(_("required actions"))
    reply_due = models.DateField(_("reply due"))
    interview_at = models.DateTimeField(_("interview time"), null=True, blank=True)  # 约谈 only
    interview_place = models.CharField(_("interview place"), max_length=200, blank=True)
    task = models.ForeignKey(  # the campaign task it concerns, if any
        "campaigns.Task",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        verbose_name=_("campaign task"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.DRAFT, db_index=True
    )
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter")
        indexes = [models.Index(fields=["region_code", "status", "reply_due"])]

    def __str__(self) -> str:
        return self.number or self.subject

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.region_code = self.recipient_region.code
        super().save(*args, **kwargs)


class LetterEvent(WorkflowEvent):
    scope = Letter.scope.via("letter")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.letter_id} {self.action}"


def _letter_file(instance: LetterAttachment, filename: str) -> str:
    return f"letters/{instance.letter_id}/{filename}"


class LetterAttachment(UploadedFile):
    """A file of the letter (its scan) or of the reply (the recipient's evidence)."""

    scope = Letter.scope.via("letter")

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    of_reply = models.BooleanField(_("file of the reply"), default=False)
    file = models.FileField(upload_to=_letter_file)

    class Meta(UploadedFile.Meta):
        pass

    @property
    def region_code(self) -> str:
        return self.letter.region_code


class LetterNumberCounter(models.Model):
    """The last number an office gave to letters of one kind in one year (core.counters.take_next): its row is
    locked by the issue that takes the next one, so two letters issued at once never share a number and a refused
    issue rolls its number back (no gap)."""

    issuer_code = models.CharField(max_length=12)
    kind = models.CharField(max_length=12, choices=LetterKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["issuer_code", "kind", "year"], name="one_letter_counter_per_office"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer_code} {self.kind} {self.year}: {self.last}"
