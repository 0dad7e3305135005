"""Public tip-offs (举报): one row per tip-off with its tracking code, place, stage and reward; its photos, its
workflow events and the office's internal notes. The reporter's name and phone exist only encrypted
(identity.py); the public reads the stage and the reply (`reply`), never the notes or who handled it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import STATUS_COLOURS, Action, Kind, Status

HANDLERS = roles_with(Perm.TIPOFF_HANDLE)


class TipOff(models.Model):
    # a department's supervisor sees the tip-offs routed to their department; offices all of their area's
    scope = ScopeSpec(region="region_code", department="department_id", change=HANDLERS)

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("what happened"))
    address = models.CharField(_("address"), max_length=200)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # a small venue (九小场所) named by its public code (the venue page's "举报隐患" link)
    venue_code = models.CharField(_("venue code"), max_length=40, blank=True)
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    # routed on acceptance: the department that verifies it (三管三必须)
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, editable=False
    )
    # what the reporter reads on the status page: the reason of a refusal, the outcome of the verification
    reply = models.TextField(_("reply to the reporter"), blank=True)
    # never copied into the audit log (core.audit.snapshot): the identity is read only through its audited view
    AUDIT_EXCLUDE = (
        "reporter_name_encrypted",
        "reporter_phone_encrypted",
        "phone_hash",
        "address_hash",
        "request_hash",
    )
    # the reporter: encrypted (Fernet) name and phone, and the phone's keyed hash for the rate limit
    reporter_name_encrypted = models.TextField(blank=True, editable=False)
    reporter_phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    has_contact = models.BooleanField(_("reporter left name and phone"), default=False, editable=False)
    # the verification's findings and what they lead to
    fine_amount = models.DecimalField(
        _("fine imposed (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    accident = models.ForeignKey(
        "accidents.Accident",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("accident"),
    )
    concealed_deaths = models.PositiveIntegerField(_("concealed deaths found"), null=True, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hazard"),
    )
    reward_amount = models.DecimalField(
        _("reward (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True, editable=False
    )
    reward_basis = models.CharField(_("reward basis"), max_length=300, blank=True, editable=False)
    reward_rule_version_id = models.PositiveIntegerField(null=True, blank=True, editable=False)
    reward_paid_on = models.DateField(_("reward paid on"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    # a retried submission (same key) answers the first one: the public has no account to key it by
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    request_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("tip-off")
        indexes = [
            models.Index(fields=["status", "region_code"], name="tipoff_status_region"),
            models.Index(fields=["submitted_at", "region_code"], name="tipoff_submitted_region"),
        ]

    def __str__(self) -> str:
        return f"举报 {self.tracking_code}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_code = self.region.code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS.get(Status(self.status), "secondary")


class TipOffPhoto(UploadedFile):
    scope = ScopeSpec(region="tipoff__region_code", department="tipoff__department_id", change=HANDLERS)

    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="tipoffs/%Y/%m/")

    class Meta(UploadedFile.Meta):
        pass


class TipOffEvent(WorkflowEvent):
    scope = ScopeSpec(region="tipoff__region_code", department="tipoff__department_id")

    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=Status.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.tipoff_id} {self.action}"


class TipOffNote(models.Model):
    """An internal note of the office (never shown to the reporter)."""

    scope = ScopeSpec(region="tipoff__region_code", department="tipoff__department_id", change=HANDLERS)

    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_label = models.CharField(max_length=150)
    text = models.TextField(_("internal note"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text[:50]
