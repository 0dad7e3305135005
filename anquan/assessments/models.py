"""Assessments (考核), their scores with the breakdown and inputs read, manual entries, and rolling flags.

An assessment belongs to the office of one region (`region_code`: the issuing office's region; its scope is the
office's area, so a county never sees the city's assessment of the counties). It applies one version of the scoring
scheme (`scheme`, a `rules.RuleVersion` of `assessments.scheme`), kept so that the scores are always explained by the
scheme they used. A score keeps every figure it read (`breakdown`), so it can be shown and checked against a recompute.
A flag (流动红旗/黄旗) is held by a region, a department or an enterprise for one period; it lies in its holder's region.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.permissions import Role
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.orgs.models import Department
from anquan.regions.models import Region
from anquan.rules.models import RuleVersion

from .choices import AssessmentStatus, FlagBasis, FlagColour, HolderKind, SubjectLevel

# who makes assessments and awards flags: the committee offices (安委办) of the area
OFFICES = frozenset({Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.SYSADMIN})


class Assessment(models.Model):
    scope = ScopeSpec(region="region_code", change=OFFICES)

    title = models.CharField(_("assessment title"), max_length=200)  # 2025年度县（市、区）安全生产工作考核
    scheme = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("scoring scheme")
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing office")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    subjects = models.CharField(_("who is assessed"), max_length=15, choices=SubjectLevel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end", "region_code", "id"]
        verbose_name = _("assessment")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class AssessmentEvent(WorkflowEvent):
    scope = Assessment.scope.via("assessment")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class Score(models.Model):
    """One subject's total, rank and breakdown: per criterion {key, name, figure, value, source, points, max,
    rule, no_data}; the points add up to `total` exactly (each criterion rounded to 0.01 first)."""

    scope = Assessment.scope.via("assessment")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    total = models.DecimalField(_("total points"), max_digits=8, decimal_places=2)
    rank = models.PositiveIntegerField(_("rank"))
    breakdown = models.JSONField(default=list)
    order = models.PositiveIntegerField(default=0)  # the listing order (rank, then region code)

    class Meta:
        ordering = ["assessment_id", "order"]
        verbose_name = _("score")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "region", "department"], name="one_score_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name}：{self.total}分"

    @property
    def subject_name(self) -> str:
        return self.department.name if self.department_id else self.region.name


class ManualEntry(models.Model):
    """The points of a manual criterion for one subject, with the reason and evidence (the newest counts)."""

    scope = Assessment.scope.via("assessment")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="manual_entries")
    criterion = models.CharField(_("criterion"), max_length=40)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    reason = models.TextField(_("reason"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment_id", "entered_at", "id"]
        verbose_name = _("manual score entry")

    def __str__(self) -> str:
        return f"{self.criterion}：{self.points}分"


def _evidence_file(instance, filename):
    return f"assessments/evidence/{instance.entry_id}/{filename}"


class Evidence(UploadedFile):
    scope = ManualEntry.scope.via("entry")

    entry = models.ForeignKey(ManualEntry, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=_evidence_file)

    class Meta(UploadedFile.Meta):
        pass

    @property
    def region_code(self) -> str:
        return self.entry.assessment.region_code


class Flag(models.Model):
    """A 流动红旗 or 流动黄旗 held for one period. The next period's award of the same colour by the same office
    moves it on: the previous holder's flag is shown as passed on (`passed_on`)."""

    scope = ScopeSpec(region="region_code", change=OFFICES)

    colour = models.CharField(_("flag colour"), max_length=6, choices=FlagColour.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    period_label = models.CharField(_("period"), max_length=40)  # 2025年度
    issuer_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("awarding office")
    )
    holder_kind = models.CharField(_("holder kind"), max_length=10, choices=HolderKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)  # the holder's region
    department = models.ForeignKey(
        Department,
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
    holder_name = models.CharField(_("holder"), max_length=200)
    basis = models.CharField(_("basis"), max_length=10, choices=FlagBasis.choices)
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="flags"
    )
    rank = models.PositiveIntegerField(null=True, blank=True)
    reason = models.TextField(_("reason"))
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_on = models.DateField(_("awarded on"), default=timezone.localdate)
    passed_on = models.DateField(_("passed on"), null=True, blank=True)  # moved to the next period's holder

    class Meta:
        ordering = ["-period_end", "colour", "rank", "region_code", "id"]
        verbose_name = _("rolling flag")
        indexes = [models.Index(fields=["issuer_region", "colour", "period_end"])]

    def __str__(self) -> str:
        return f"{self.holder_name}（{self.get_colour_display()}）"

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)
