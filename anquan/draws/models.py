"""Double-random draws (双随机、一公开): which enterprises are inspected, by which certified inspectors.

A `RandomDraw` belongs to its issuing unit (执法主体: a department in a region) and is scoped through it
(ADR 0007). Drawing stores the pools as ordered ids, the conflicts between them and the seed, so that anyone can
recompute the result from what is stored (services.recompute) and compare it with the stored picks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.enterprises.choices import RiskLevel
from anquan.orgs.units import Unit

from .choices import DrawAction, DrawStatus, LinkKind, PickResult

DRAW_MANAGERS = roles_with(Perm.DRAW_MANAGE)


class RandomDraw(models.Model):
    scope = ScopeSpec(region="region_code", department="department_id", change=DRAW_MANAGERS)

    # the issuing unit (执法主体): a department in a region, e.g. 应急管理局 of 濂溪区
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_code = models.CharField(_("region code"), max_length=12, db_index=True, editable=False)
    department = models.ForeignKey(
        "orgs.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    title = models.CharField(_("title"), max_length=100)
    # the enterprise pool: operating enterprises the unit supervises in `pool_region`, narrowed by these
    pool_region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("pool region")
    )
    industry = models.ForeignKey(
        "orgs.Industry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("industry"),
    )
    risk_level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    key_supervision = models.BooleanField(_("key supervision"), null=True, blank=True)
    enterprise_count = models.PositiveSmallIntegerField(_("enterprises to draw"))
    inspectors_per_enterprise = models.PositiveSmallIntegerField(_("inspectors per enterprise"), default=2)
    repeat_days = models.PositiveSmallIntegerField(_("repeat-visit exclusion (days)"))
    include_lower_regions = models.BooleanField(_("inspectors of lower regions too"), default=True)
    # the rule version that gave the default repeat period and the publication deadline (anquan.rules)
    rule_version_id = models.PositiveIntegerField(_("rule version"), null=True, blank=True, editable=False)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DrawStatus.choices, default=DrawStatus.DRAFT, editable=False
    )
    # written once by the draw: the pools as sorted ids, the conflicting pairs and the result
    draw_date = models.DateField(_("draw date"), null=True, blank=True, editable=False)
    enterprise_pool = models.JSONField(_("enterprise pool"), default=list, blank=True, editable=False)
    inspector_pool = models.JSONField(_("inspector pool"), default=list, blank=True, editable=False)
    # [[inspector, enterprise, why]]
    conflicts = models.JSONField(_("conflicts (left out)"), default=list, blank=True, editable=False)
    # [[enterprise, [inspectors]]]
    result = models.JSONField(_("draw result"), default=list, blank=True, editable=False)
    results_pending = models.PositiveSmallIntegerField(_("results still to enter"), default=0, editable=False)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True, editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("drawn by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    publish_due = models.DateField(_("publication due"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("random draw")
        indexes = [models.Index(fields=["status", "region_code"], name="draw_status_region")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_code = self.region.code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def unit(self) -> Unit:
        return Unit(self.department, self.region)

    @property
    def unit_name(self) -> str:
        """濂溪区应急管理局: the unit's short name (orgs.units)."""
        return self.unit.short_name


class DrawPick(models.Model):
    """One enterprise drawn, in draw order, with its inspectors (DrawAssignment) and, after the inspection,
    its result. The enterprise's name is kept as drawn, for the public page."""

    scope = RandomDraw.scope.via("draw", change=DRAW_MANAGERS)

    draw = models.ForeignKey(
        RandomDraw, on_delete=models.CASCADE, related_name="picks", verbose_name=_("random draw")
    )
    position = models.PositiveSmallIntegerField(_("order drawn"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    enterprise_name = models.CharField(_("enterprise name"), max_length=200)
    # the inspection the drawn inspectors carried out (started from their task card: tasks.start_inspection)
    inspection = models.ForeignKey(
        "inspections.Inspection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("inspection"),
    )
    result = models.CharField(_("result"), max_length=12, choices=PickResult.choices, blank=True)
    result_text = models.CharField(_("result details"), max_length=200, blank=True)
    result_at = models.DateTimeField(_("result entered at"), null=True, blank=True)
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("result entered by"),
    )

    class Meta:
        ordering = ["draw_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draw", "position"], name="draw_pick_position")]

    def __str__(self) -> str:
        return f"{self.draw} · {self.enterprise_name}"


class DrawAssignment(models.Model):
    """An inspector drawn for a pick; also the "visit" the repeat-visit exclusion counts (visits.py)."""

    scope = RandomDraw.scope.via("pick__draw", change=DRAW_MANAGERS)

    pick = models.ForeignKey(
        DrawPick, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("drawn enterprise")
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    inspector_name = models.CharField(_("inspector's name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("order drawn"))

    class Meta:
        ordering = ["pick_id", "position"]
        indexes = [models.Index(fields=["inspector", "pick"], name="draw_assignment_inspector")]

    def __str__(self) -> str:
        return self.inspector_name


class RandomDrawEvent(WorkflowEvent):
    scope = RandomDraw.scope.via("draw")

    draw = models.ForeignKey(RandomDraw, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=DrawAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=DrawStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=DrawStatus.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.draw_id} {self.action}"


class DeclaredLink(models.Model):
    """An inspector's declared link to an enterprise (利害关系申报): the draw never sends them there."""

    scope = ScopeSpec(
        region="inspector__region_code",
        department="inspector__department_id",
        change=roles_with(Perm.LINK_DECLARE),
    )

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="declared_links",
        verbose_name=_("inspector"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    kind = models.CharField(_("kind of link"), max_length=10, choices=LinkKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now, editable=False)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-declared_at", "-id"]
        verbose_name = _("declared link")
        constraints = [
            models.UniqueConstraint(fields=["inspector", "enterprise"], name="one_declared_link_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.inspector} · {self.enterprise}"
