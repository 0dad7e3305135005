"""Production safety accidents (生产安全事故): the record, its reporting chain and its investigation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, Industry
from anquan.regions.models import Region

from .choices import Action, Edition, Grade, Level, Status, Window


class AccidentCategory(models.Model):
    """GB 6441 accident categories of both editions; 2025 types map to a 1986 kind for multi-year statistics."""

    edition = models.CharField(max_length=4, choices=Edition.choices)
    code = models.CharField(max_length=10)  # "01".."20" (1986 order numbers) or "WSA10001"… (2025)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField()
    maps_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="one_category_code_per_edition")
        ]
        ordering = ["edition", "order"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_1986(self) -> "AccidentCategory":
        return self if self.edition == Edition.GB6441_1986 else self.maps_to


class Accident(models.Model):
    scope = ScopeSpec(
        region="region_code", department="supervising_department_id", enterprise="enterprise_id"
    )

    occurred_at = models.DateTimeField(_("occurred at"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    address = models.CharField(_("address"), max_length=300)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accidents",
        verbose_name=_("enterprise"),
    )
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("industry"),
    )
    supervising_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        AccidentCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("accident category")
    )
    window = models.CharField(
        _("late-report window"), max_length=12, choices=Window.choices, default=Window.GENERAL
    )
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    serious_injuries = models.PositiveIntegerField(
        _("serious injuries (incl. acute industrial poisoning)"), default=0
    )
    minor_injuries = models.PositiveIntegerField(_("minor injuries"), default=0)
    direct_loss_yuan = models.DecimalField(
        _("direct economic loss (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices, editable=False, db_index=True)
    summary = models.TextField(_("summary"))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REPORTED)

    # investigation (Decree 493 arts. 19–32)
    lead_authority = models.CharField(_("lead authority"), max_length=100, blank=True)
    team = models.TextField(_("investigation team"), blank=True)
    investigation_due = models.DateField(_("investigation report due"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(default=0)
    report_text = models.TextField(_("investigation report"), blank=True)
    causes = models.TextField(_("causes"), blank=True)
    responsibility = models.TextField(_("responsibility findings"), blank=True)
    recommended_penalties = models.TextField(_("recommended penalties"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["occurred_at", "region_code"]),
            # the register's order, alone and for a department's supervisor (issue #18, ADR 0049)
            models.Index(fields=["occurred_at", "id", "region_code"], name="accident_occurred"),
            models.Index(
                fields=["supervising_department", "occurred_at", "id", "region_code"],
                name="accident_department",
            ),
        ]
        verbose_name = _("accident")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d} {self.place}{self.category}事故"

    @property
    def place(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.address

    @property
    def investigation_overdue(self) -> bool:
        return (
            bool(self.investigation_due)
            and self.status == Status.INVESTIGATING
            and timezone.localdate() > self.investigation_due
        )


class AccidentReport(models.Model):
    """One step of the reporting chain: unit → county within 1 hour (art. 9), each level up within 2 hours
    (art. 11), up to the level the grade requires (art. 10)."""

    scope = ScopeSpec(
        region="accident__region_code",
        department="accident__supervising_department_id",
        enterprise="accident__enterprise_id",
    )

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="reports")
    from_level = models.CharField(max_length=10, choices=Level.choices)
    to_level = models.CharField(max_length=10, choices=Level.choices)
    due_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["accident", "to_level"], name="one_report_per_level")]

    def __str__(self) -> str:
        return f"事故#{self.accident_id} {self.get_from_level_display()}→{self.get_to_level_display()}"

    @property
    def region_code(self) -> str:  # audit entries of a step carry its accident's region
        return self.accident.region_code

    @property
    def on_time(self) -> bool | None:
        return None if self.reported_at is None else self.reported_at <= self.due_at


class AccidentEvent(WorkflowEvent):
    """One step of an accident (accidents/workflow.py), a report-up of its chain included."""

    scope = ScopeSpec(
        region="accident__region_code",
        department="accident__supervising_department_id",
        enterprise="accident__enterprise_id",
    )

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.accident_id} {self.action}"


def _photo_path(instance, filename):
    return f"accidents/{instance.accident_id}/{filename}"


class AccidentPhoto(UploadedFile):
    """A photo or document of the accident scene (checked by content like every upload)."""

    scope = ScopeSpec(
        region="accident__region_code",
        department="accident__supervising_department_id",
        enterprise="accident__enterprise_id",
    )

    accident = models.ForeignKey(Accident, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path)

    class Meta(UploadedFile.Meta):
        pass

    @property
    def region_code(self) -> str:
        return self.accident.region_code


class PriorTotals(models.Model):
    """上年同期数据 entered by a safety committee office: one month's accidents and deaths in its area, for a
    month the system did not record (before it was in use). Append-only: the newest entry for a region and
    month counts, the older ones are its history (each entry is also in the audit log)."""

    scope = ScopeSpec(region="region_code")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    accidents = models.PositiveIntegerField(_("accidents"))
    deaths = models.PositiveIntegerField(_("deaths"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        ordering = ["-entered_at", "-id"]
        indexes = [models.Index(fields=["region_code", "year", "month"], name="prior_totals_month")]
        verbose_name = _("last year's totals")

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}-{self.month:02d}"

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)
