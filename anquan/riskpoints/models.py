"""Risk points (风险点) of enterprises, their assessments, control measures and photos, and the site plans
they are placed on (厂区风险四色分布图)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.standards.choices import Method, RiskLevel
from anquan.standards.models import RiskBandTable

from .choices import ControlTier, FactorKind, MeasureKind, PointKind

# --- risk points (风险点) and their assessments -----------------------------------------------------

# Who may change an enterprise's risk points, assessments, measures, photos, installations and check
# schedules (within their scope): its own managers and the authorities above it. Grid workers see them
# read-only. (points.can_write reads this through scope.in_scope(..., CHANGE).)
RISK_WRITERS = roles_with(Perm.RISK_CHANGE)
# Who may upload site plans and place points on them: the enterprise's own managers only.
SITE_PLAN_EDITORS = roles_with(Perm.SITE_PLAN_CHANGE)


class RiskPoint(models.Model):
    """A place, installation or activity of one enterprise where risk is identified. Its current level
    is the level of its latest assessment (kept in `current_level` by points.assess, never edited)."""

    former_labels = ("risk.riskpoint",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=RISK_WRITERS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="risk_points",
        verbose_name=_("enterprise"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices)
    location = models.CharField(_("location"), max_length=300, blank=True)
    factor_kinds = models.JSONField(_("hazard factor kinds"), default=list)  # FactorKind values
    accident_categories = models.ManyToManyField(
        "accidents.AccidentCategory", blank=True, related_name="+", verbose_name=_("possible accidents")
    )
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    current_level = models.CharField(
        _("current level"),
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
        db_index=True,
        editable=False,
    )
    # the latest assessment's "next assessment due" (points.assess keeps it; reassessment.py reminds)
    next_assessment_due = models.DateField(
        _("next assessment due"), null=True, blank=True, db_index=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_riskpoint"  # the risk app's table (ADR 0015)
        ordering = ["region_code", "enterprise_id", "name"]
        indexes = [
            # the list's order, alone and for a department's supervisor (issue #18, ADR 0049)
            models.Index(fields=["region_code", "enterprise", "name"], name="riskpoint_list"),
            models.Index(
                fields=["supervising_department", "region_code", "enterprise", "name"],
                name="riskpoint_department",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_factor_kinds_display(self) -> str:
        return "、".join(str(FactorKind(k).label) for k in self.factor_kinds if k in FactorKind.values)


class RiskAssessment(models.Model):
    """One scored assessment of a risk point (history: never edited). Score and level come from
    assessment.assess with the band table version recorded in `band_table`."""

    former_labels = ("risk.riskassessment",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="assessments")
    method = models.CharField(_("method"), max_length=3, choices=Method.choices)
    factors = models.JSONField(_("factor values"), default=dict)  # {"l": "3", "e": "6", "c": "15"}
    score = models.DecimalField(_("score"), max_digits=16, decimal_places=4)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    band_label = models.CharField(max_length=100, blank=True)
    band_table = models.ForeignKey(RiskBandTable, on_delete=models.PROTECT, related_name="+")
    residual = models.BooleanField(_("residual (after measures)"), default=False)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessor_label = models.CharField(_("assessor"), max_length=150, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    next_due = models.DateField(_("next assessment due"), null=True, blank=True)

    class Meta:
        db_table = "risk_riskassessment"  # the risk app's table (ADR 0015)
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return (
            f"{self.point} {self.get_method_display()} {self.score.normalize():f} {self.get_level_display()}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("an assessment is history: make a new one instead of editing it")
        super().save(*args, **kwargs)


class ControlMeasure(models.Model):
    former_labels = ("risk.controlmeasure",)  # in audit entries made before ADR 0015
    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    tier = models.CharField(_("control tier"), max_length=20, choices=ControlTier.choices)
    description = models.TextField(_("description"))
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_controlmeasure"  # the risk app's table (ADR 0015)
        ordering = ["tier", "kind", "id"]

    def __str__(self) -> str:
        return self.description[:50]


def _point_photo_path(instance: RiskPointPhoto, filename: str) -> str:
    return f"risk/points/{instance.point_id}/{filename}"


class RiskPointPhoto(models.Model):
    """A photo of the place, installation or activity (checked by content like every upload)."""

    former_labels = ("risk.riskpointphoto",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_point_photo_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_riskpointphoto"  # the risk app's table (ADR 0015)
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:  # audit entries of a photo carry its point's region
        return self.point.region_code


# --- site plans (厂区风险四色分布图, site_plans.py) --------------------------------------------------


def site_plan_path(instance: SitePlan, filename: str) -> str:
    """MEDIA_ROOT/site-plans/<enterprise id>/<random>.<ext> (ASCII; the original name is kept in `name`)."""
    import uuid

    ext = "png" if instance.content_type == "image/png" else "jpg"
    return f"site-plans/{instance.enterprise_id}/{uuid.uuid4().hex}.{ext}"


class SitePlan(models.Model):
    """An uploaded site plan image of one enterprise on which its risk points are placed."""

    former_labels = ("risk.siteplan",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=SITE_PLAN_EDITORS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="site_plans",
        verbose_name=_("enterprise"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=100)
    image = models.FileField(_("image"), upload_to=site_plan_path, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_siteplan"  # the risk app's table (ADR 0015)
        ordering = ["region_code", "enterprise_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class PointPlacement(models.Model):
    """A risk point's place on a site plan: x, y as fractions (0–1) of the image's width and height
    from its top left corner, so the marker stays put at any display size. A point is placed at most
    once per plan."""

    former_labels = ("risk.pointplacement",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="plan__region_code",
        department="plan__supervising_department_id",
        enterprise="plan__enterprise_id",
        change=SITE_PLAN_EDITORS,
    )

    plan = models.ForeignKey(SitePlan, on_delete=models.CASCADE, related_name="placements")
    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="placements")
    x = models.FloatField("x")
    y = models.FloatField("y")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_pointplacement"  # the risk app's table (ADR 0015)
        ordering = ["plan", "point_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "point"], name="one_place_per_plan"),
            models.CheckConstraint(
                condition=Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1), name="placement_within_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id}@{self.plan_id} ({self.x:.3f}, {self.y:.3f})"

    @property
    def region_code(self) -> str:  # audit entries of a placement carry its plan's region
        return self.plan.region_code
