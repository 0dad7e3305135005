from django.db import models
from django.utils.translation import gettext_lazy as _
from pypinyin import Style, lazy_pinyin

from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.orgs.models import Department, Industry
from anquan.regions.models import Grid, Region

from .choices import KeySupervisionLevel, RiskLevel, Scale, StandardizationGrade, Status


def pinyin_initials(text: str) -> str:
    """ "江西化工有限公司" → "jxhgyxgs" (letters and digits kept as they are, lower case)."""
    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors=lambda s: list(s))).lower()


class Enterprise(models.Model):
    scope = ScopeSpec(region="region_code", department="supervising_department_id", enterprise="pk")

    name = models.CharField(_("name"), max_length=200)
    name_initials = models.CharField(max_length=200, db_index=True, editable=False)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    grid = models.ForeignKey(
        Grid,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("grid"),
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, related_name="+", verbose_name=_("industry")
    )
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, default=Scale.BELOW)
    employee_count = models.PositiveIntegerField(_("employees"), default=0)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    principal_name = models.CharField(_("principal person"), max_length=50, blank=True)
    principal_phone = models.CharField(_("principal phone"), max_length=20, blank=True)
    safety_manager_name = models.CharField(_("safety manager"), max_length=50, blank=True)
    safety_manager_phone = models.CharField(_("safety manager phone"), max_length=20, blank=True)
    standardization_grade = models.CharField(
        _("standardization grade"),
        max_length=10,
        choices=StandardizationGrade.choices,
        default=StandardizationGrade.NONE,
    )
    key_supervision = models.BooleanField(_("key supervision"), default=False)
    key_supervision_level = models.CharField(
        _("key supervision level"), max_length=10, choices=KeySupervisionLevel.choices, blank=True
    )
    # changed only by the named transitions of enterprises/workflow.py (停产, 复产, 关闭 …)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPERATING)
    territorial_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("territorial region")
    )
    supervising_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervising department"),
    )
    department_overridden = models.BooleanField(_("department set by hand"), default=False)
    # derived, never entered: kept by anquan.riskpoints.levels.refresh (rule in levels.RULE_TEXT); "" = unassessed
    risk_level = models.CharField(
        _("risk level"), max_length=10, choices=RiskLevel.choices, blank=True, default="", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = _("enterprise")
        indexes = [
            models.Index(fields=["industry", "region_code"]),
            # the registry's order, alone and for a department's supervisor (issue #18, ADR 0049)
            models.Index(fields=["region_code", "name"], name="enterprise_list"),
            models.Index(
                fields=["supervising_department", "region_code", "name"], name="enterprise_department"
            ),
            # the regional four-colour map counts levels over a region range (anquan.riskmap.maps)
            models.Index(fields=["region_code", "risk_level", "status"], name="enterprise_risk_map"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_initials = pinyin_initials(self.name)
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class EnterpriseEvent(WorkflowEvent):
    """A change of an enterprise's operating status (停产, 复产, 关闭 …: enterprises/workflow.py)."""

    scope = ScopeSpec(
        region="enterprise__region_code",
        department="enterprise__supervising_department_id",
        enterprise="enterprise_id",
    )

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.action}"

    @property
    def action_label(self) -> str:
        from .workflow import FLOW  # the declaration names the steps (停产, 复产 …)

        spec = FLOW.transitions.get(self.action)
        return spec.label if spec else self.action

    @property
    def from_status_label(self) -> str:
        return Status(self.from_status).label if self.from_status in Status.values else self.from_status

    @property
    def to_status_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else self.to_status
