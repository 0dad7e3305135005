"""Inspections (执法检查) walked on a phone against a versioned checklist (services.py, workflow.py).

A checklist template belongs to an industry and is never edited in place: a change is a new version
(templates.new_version). An inspection copies the items of the version it used, so what was checked stays
as it was even after the template changes; free items are added on the inspection itself. A non-compliant
item becomes a hazard (source `inspection`) once, and keeps the link (`InspectionItem.hazard`, and the
hazard's `inspection_items`).

Scope follows the enterprise (ADR 0007): an inspection is seen by whoever sees the enterprise inspected."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.orgs.units import Unit

from .choices import REVIEW_COLOURS, STATUS_COLOURS, Kind, Result, ReviewStatus, Status

# --- checklist templates (reference data, versioned) --------------------------------------------------


class ChecklistTemplate(models.Model):
    """One version of an industry's checklist. Never edited: templates.new_version makes the next one."""

    industry = models.ForeignKey(
        "orgs.Industry", on_delete=models.PROTECT, related_name="+", verbose_name=_("industry")
    )
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("in use"), default=True)  # the latest version of its name
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["industry", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["industry", "name", "version"], name="one_checklist_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ChecklistItem(models.Model):
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("checklist")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("check item"))
    basis = models.CharField(_("basis"), max_length=300, blank=True)  # standard + article
    # a major-hazard judgement item: non-compliance is a major hazard
    judgement_item = models.ForeignKey(
        "hazards.JudgementItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("judgement item"),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)  # where the item was taken from

    class Meta:
        ordering = ["template", "order", "id"]

    def __str__(self) -> str:
        return self.text[:40]


# --- inspections ----------------------------------------------------------------------------------

_THROUGH_ENTERPRISE = ScopeSpec(
    region="enterprise__region_code",
    department="enterprise__supervising_department_id",
    enterprise="enterprise_id",
)


class Inspection(models.Model):
    scope = _THROUGH_ENTERPRISE

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    # the issuing unit (执法主体): a department in a region, e.g. 应急管理局 of 濂溪区
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.PLAN)
    planned_on = models.DateField(_("planned date"), db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("date done"), null=True, blank=True)
    inspectors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inspections", blank=True)
    template = models.ForeignKey(
        ChecklistTemplate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checklist"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    cancel_reason = models.CharField(_("reason"), max_length=500, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=50, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.planned_on}"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS.get(Status(self.status), "secondary")

    @property
    def unit(self) -> Unit:
        """The unit (执法主体) the inspection is made and its documents issued by."""
        return Unit(self.department, self.region)

    @property
    def unit_name(self) -> str:
        return self.unit.short_name


class InspectionItem(models.Model):
    scope = _THROUGH_ENTERPRISE.via("inspection")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="items", verbose_name=_("inspection")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("check item"))
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    judgement_item = models.ForeignKey(
        "hazards.JudgementItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("judgement item"),
    )
    free = models.BooleanField(_("added on site"), default=False)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_items",
        verbose_name=_("hazard"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        ordering = ["inspection", "order", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class InspectionPhoto(UploadedFile):
    scope = _THROUGH_ENTERPRISE.via("item__inspection")

    item = models.ForeignKey(InspectionItem, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="inspections/%Y/%m/")


class InspectionSignature(UploadedFile):
    """The enterprise signatory's signature, drawn with a finger on the phone (a PNG)."""

    scope = _THROUGH_ENTERPRISE.via("inspection")

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="signature")
    file = models.FileField(upload_to="inspections/signatures/%Y/%m/")


class InspectionEvent(WorkflowEvent):
    scope = _THROUGH_ENTERPRISE.via("inspection")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.action}"


# --- the rectification review (整改复查): the third step of the loop -----------------------------------

_REVIEW_SCOPE = _THROUGH_ENTERPRISE.via("inspection")


class RectificationReview(models.Model):
    """The follow-up review a rectification order (责令限期整改指令书) creates, due on the order's deadline;
    recording it issues the 整改复查意见书 (reviews.py). Status changes only through reviews.REVIEWS."""

    scope = _REVIEW_SCOPE

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("inspection")
    )
    order = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rectification order"),
    )
    due_on = models.DateField(_("review due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    opinion = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("review opinion"),
    )
    note = models.TextField(_("note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("rectification review")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"复查#{self.pk}（检查#{self.inspection_id}）"

    @property
    def status_colour(self) -> str:
        return REVIEW_COLOURS.get(ReviewStatus(self.status), "secondary")


class ReviewItem(models.Model):
    """An item the order named, and whether the review found it rectified (None until reviewed)."""

    scope = _REVIEW_SCOPE.via("review")

    review = models.ForeignKey(RectificationReview, on_delete=models.CASCADE, related_name="items")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="review_items")
    rectified = models.BooleanField(_("rectified"), null=True, blank=True)

    class Meta:
        ordering = ["review", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["item"], name="an_item_ordered_once")]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.item_id}"


class ReviewPhoto(UploadedFile):
    scope = _REVIEW_SCOPE.via("review")

    review = models.ForeignKey(RectificationReview, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="inspections/reviews/%Y/%m/")


class ReviewEvent(WorkflowEvent):
    scope = _REVIEW_SCOPE.via("review")

    review = models.ForeignKey(RectificationReview, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.review_id} {self.action}"


# --- 查封、扣押 in force (seizure.py): its period, extension and release -----------------------------------


class SeizureStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    RELEASED = "released", _("Released")


class Seizure(models.Model):
    """A 查封 or 扣押 decided on site (强制措施决定书): the things sealed or seized, its period from the rule version
    in force, an extension approved by the head (with its reason, within that version's limit), and its release
    (解除: the date and what was released). Status changes only through seizure.SEIZURES."""

    scope = _REVIEW_SCOPE

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="seizures", verbose_name=_("inspection")
    )
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("decision")
    )
    rule_version = models.ForeignKey(
        "rules.RuleVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("rule version")
    )
    measure = models.CharField(_("measure"), max_length=4)
    items = models.JSONField(_("things sealed or seized"), default=list)
    starts_on = models.DateField(_("starts on"))
    period_days = models.PositiveSmallIntegerField(_("period (days)"))
    extended_days = models.PositiveSmallIntegerField(_("days extended"), default=0)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    ends_on = models.DateField(_("ends on"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SeizureStatus.choices,
        default=SeizureStatus.IN_FORCE,
        db_index=True,
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_items = models.JSONField(_("things released"), default=list)
    release_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("seizure")
        ordering = ["ends_on", "id"]

    def __str__(self) -> str:
        return f"{self.measure}#{self.pk}（检查#{self.inspection_id}）"
