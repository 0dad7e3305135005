"""Major hazard installations (重大危险源, GB 18218-2018) and the substances they hold."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec
from anquan.riskpoints.models import RISK_WRITERS
from anquan.standards import gb18218
from anquan.standards.choices import UnitType

# --- major hazard installations (GB 18218-2018) ---------------------------------------------------


class MajorHazardInstallation(models.Model):
    """A production or storage unit with its substances and the stored GB 18218 computation
    (installations.save_installation recomputes it on every change, so the grade is always explained)."""

    former_labels = ("risk.majorhazardinstallation",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=RISK_WRITERS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="major_hazard_installations",
        verbose_name=_("enterprise"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices)
    exposed_persons = models.PositiveIntegerField(_("exposed persons"), null=True, blank=True)
    # the stored computation: S and R cut (not rounded) to 4 places, exact values as fractions in `computation`
    s = models.DecimalField("S", max_digits=16, decimal_places=4, default=0)
    is_major = models.BooleanField(_("major hazard installation"), default=False)
    alpha = models.DecimalField("α", max_digits=6, decimal_places=2, null=True, blank=True)
    r = models.DecimalField("R", max_digits=16, decimal_places=4, null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    computation = models.JSONField(_("computation"), default=dict)
    principal_name = models.CharField(_("principal person"), max_length=50, blank=True)
    principal_phone = models.CharField(_("principal phone"), max_length=20, blank=True)
    technical_name = models.CharField(_("technical person"), max_length=50, blank=True)
    technical_phone = models.CharField(_("technical phone"), max_length=20, blank=True)
    operational_name = models.CharField(_("operational person"), max_length=50, blank=True)
    operational_phone = models.CharField(_("operational phone"), max_length=20, blank=True)
    required_sensors = models.JSONField(_("required sensors"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_majorhazardinstallation"  # the risk app's table (ADR 0015)
        ordering = ["region_code", "enterprise_id", "name"]

    def __str__(self) -> str:
        return self.name


class InstallationSubstance(models.Model):
    former_labels = ("risk.installationsubstance",)  # in audit entries made before ADR 0015
    scope = ScopeSpec(
        region="installation__region_code",
        department="installation__supervising_department_id",
        enterprise="installation__enterprise_id",
        change=RISK_WRITERS,
    )

    installation = models.ForeignKey(
        MajorHazardInstallation, on_delete=models.CASCADE, related_name="substances"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=gb18218.MAX_NAME, blank=True)
    cas = models.CharField("CAS", max_length=gb18218.MAX_CAS, blank=True)
    quantity_t = models.DecimalField(_("quantity (t)"), max_digits=16, decimal_places=6)
    categories = models.JSONField(_("categories"), default=list)  # 表2 symbols given by the user

    class Meta:
        db_table = "risk_installationsubstance"  # the risk app's table (ADR 0015)
        ordering = ["installation", "order"]

    def __str__(self) -> str:
        return f"{self.name or self.cas} {self.quantity_t} t"
