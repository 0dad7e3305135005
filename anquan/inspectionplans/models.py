"""The yearly inspection plan (年度监督检查计划) of an issuing unit: a department in a region (ADR 0007 scope
through the unit's region and department), its capacity inputs, key enterprises and random-inspection quota."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import (
    BAND_COLOURS,
    STATUS_COLOURS,
    Band,
    EntryDecision,
    EntrySource,
    PlanAction,
    PlanLevel,
    PlanStatus,
)


class InspectionPlan(models.Model):
    """One version of a unit's plan for a year. A plan is approved through PLANS (workflow.py); an approved
    plan is changed only by a revision: a new version (previous → this) drafted from it, which supersedes
    it when approved."""

    scope = ScopeSpec(region="region_code", department="department_id")

    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    level = models.CharField(_("level"), max_length=10, choices=PlanLevel.choices, editable=False)
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revision",
        editable=False,
        verbose_name=_("previous version"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT, editable=False
    )
    # capacity inputs (监督检查工作日 = 每人工作日 × 执法人数 − 其他执法工作日 − 非执法工作日)
    inspectors = models.PositiveIntegerField(_("inspectors"))
    working_days = models.PositiveIntegerField(_("working days per person"))
    other_enforcement_days = models.PositiveIntegerField(_("other enforcement days"), default=0)
    non_enforcement_days = models.PositiveIntegerField(_("non-enforcement days"), default=0)
    person_days_per_inspection = models.PositiveIntegerField(_("person-days per inspection"), default=2)
    random_quota = models.PositiveIntegerField(_("random inspections (double random)"), default=0)
    note = models.TextField(_("note"), blank=True)
    # the rule versions the plan applied (anquan.rules.RuleVersion ids)
    capacity_rule_id = models.PositiveIntegerField(
        _("capacity rule version"), null=True, blank=True, editable=False
    )
    targeting_rule_id = models.PositiveIntegerField(
        _("targeting rule version"), null=True, blank=True, editable=False
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
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
        ordering = ["-year", "region_code", "department_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "region", "year", "version"], name="one_plan_version_per_unit_year"
            )
        ]
        indexes = [models.Index(fields=["status", "region_code"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return f"{self.region.name}{self.department.name}{self.year}年度安全生产监督检查计划"

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[PlanStatus(self.status)]

    @property
    def total_days(self) -> int:
        return self.inspectors * self.working_days

    @property
    def supervision_days(self) -> int:
        """监督检查工作日 = 法定工作日总数 − 其他执法工作日 − 非执法工作日 (may be negative: refused on save)."""
        return self.total_days - self.other_enforcement_days - self.non_enforcement_days


class PlanEntry(models.Model):
    """A key enterprise of a plan with its proposed yearly frequency (from its targeting band, or its major
    hazard installations) and the frequency the official accepted or set instead, with the reason."""

    scope = InspectionPlan.scope.via("plan")

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="entries", verbose_name=_("inspection plan")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    township_code = models.CharField(_("township code"), max_length=12, blank=True)
    source = models.CharField(_("source"), max_length=15, choices=EntrySource.choices)
    band = models.CharField(_("targeting band"), max_length=10, choices=Band.choices)
    score = models.PositiveIntegerField(_("score"), default=0)
    explanation = models.CharField(_("score breakdown"), max_length=300, blank=True)
    proposed_frequency = models.PositiveSmallIntegerField(_("proposed inspections a year"))
    frequency = models.PositiveSmallIntegerField(_("inspections a year"))
    decision = models.CharField(
        _("decision on the proposal"),
        max_length=12,
        choices=EntryDecision.choices,
        default=EntryDecision.PENDING,
    )
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "enterprise_id"]
        constraints = [models.UniqueConstraint(fields=["plan", "enterprise"], name="one_entry_per_plan")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.enterprise_id} × {self.frequency}"

    @property
    def band_colour(self) -> str:
        return BAND_COLOURS[Band(self.band)]


class PlanEvent(WorkflowEvent):
    scope = InspectionPlan.scope.via("plan")

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=PlanAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=PlanStatus.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.plan_id} {self.action}"
