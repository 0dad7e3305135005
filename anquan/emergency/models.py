"""Emergency plans (应急预案) and drills (应急演练), MEM Order 2 of 2019 and Decree 708.

A plan belongs to an enterprise, or to a government unit (a region's government, or one of its departments); it is
filed (备案) with a supervising department (`filed_with`), which is also the department whose supervisors see it. A
revision is a new plan row that supersedes the old (`supersedes`). A drill is held on one plan; its scope is its
plan's. Documents of a plan and a drill's photos and report are uploads (core/uploads.py)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import STATUS_COLOURS, DrillKind, PlanAction, PlanKind, PlanStatus

# who writes plans and drills: an enterprise's managers (their own), the offices and department supervisors
WRITERS = roles_with(Perm.EMERGENCY_PLAN_WRITE)


class EmergencyPlan(models.Model):
    # the enterprise's own users see its plans; offices their area's; a department's supervisors those filed with it
    scope = ScopeSpec(
        region="region_code", department="filed_with_id", enterprise="enterprise_id", change=WRITERS
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    # a government plan: the region's government, or its department `owner_department`
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    owner_department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department owning the plan"),
    )
    filed_with = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department the plan is filed with"),
    )
    kind = models.CharField(_("kind of plan"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("plan title"), max_length=200)
    revision = models.PositiveSmallIntegerField(_("revision number"), default=1)
    published_on = models.DateField(_("plan published on"))
    supersedes = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        verbose_name=_("revision of"),
    )
    revision_reasons = models.JSONField(default=list, blank=True)  # RevisionReason values (art. 36)
    refiling_changes = models.JSONField(default=list, blank=True)  # RefilingChange values (art. 37)
    status = models.CharField(
        _("filing status"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.DRAFT,
        editable=False,
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True, editable=False)
    filing_due = models.DateField(_("filing check due"), null=True, blank=True, editable=False)
    record_number = models.CharField(_("filing record number"), max_length=50, blank=True, editable=False)
    filed_on = models.DateField(_("filed on"), null=True, blank=True, editable=False)
    filed_by_lapse = models.BooleanField(_("filed by lapse of time"), default=False, editable=False)
    return_reasons = models.TextField(_("reasons for return"), blank=True, editable=False)
    last_evaluated_on = models.DateField(_("last evaluated on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("emergency plan")
        indexes = [models.Index(fields=["status", "region_code"], name="emergency_plan_status_region")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_code = self.region.code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def colour(self) -> str:
        return STATUS_COLOURS.get(PlanStatus(self.status), "secondary")

    @property
    def owner_label(self) -> str:
        if self.enterprise_id:
            return str(self.enterprise)
        return f"{self.region.name}{self.owner_department.name if self.owner_department else '人民政府'}"


class PlanDocument(UploadedFile):
    scope = ScopeSpec(
        region="plan__region_code",
        department="plan__filed_with_id",
        enterprise="plan__enterprise_id",
        change=WRITERS,
    )

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to="emergency/plans/%Y/%m/")

    class Meta(UploadedFile.Meta):
        pass


class PlanEvent(WorkflowEvent):
    scope = ScopeSpec(
        region="plan__region_code", department="plan__filed_with_id", enterprise="plan__enterprise_id"
    )

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=PlanAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=PlanStatus.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"


class Drill(models.Model):
    scope = ScopeSpec(
        region="plan__region_code",
        department="plan__filed_with_id",
        enterprise="plan__enterprise_id",
        change=WRITERS,
    )

    plan = models.ForeignKey(
        EmergencyPlan, on_delete=models.PROTECT, related_name="drills", verbose_name=_("plan")
    )
    held_on = models.DateField(_("drill date"))
    kind = models.CharField(_("kind of drill"), max_length=20, choices=DrillKind.choices)
    organiser = models.CharField(_("drill organiser"), max_length=100)
    participant_count = models.PositiveIntegerField(_("number of participants"))
    participants = models.TextField(_("participants and their units"), blank=True)
    scenario = models.TextField(_("drill scenario"))
    evaluation = models.TextField(_("drill evaluation"), blank=True)
    improvements = models.TextField(_("improvements"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("drill")
        indexes = [models.Index(fields=["plan", "held_on"], name="emergency_drill_plan_day")]

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on}"


class DrillFile(UploadedFile):
    """A photo of the drill or its report (PDF, Word)."""

    scope = ScopeSpec(
        region="drill__plan__region_code",
        department="drill__plan__filed_with_id",
        enterprise="drill__plan__enterprise_id",
        change=WRITERS,
    )

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="emergency/drills/%Y/%m/")

    class Meta(UploadedFile.Meta):
        pass
