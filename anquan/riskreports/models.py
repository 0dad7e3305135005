"""The enterprise's yearly safety risk report (安全生产风险报告, actions.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import ReportAction, ReportStatus

# --- the enterprise's yearly risk report (安全生产风险报告, actions.py) --------------------------------


class RiskReport(models.Model):
    """One enterprise's risk report for one year. The enterprise prepares it (statement fields) and
    submits it; at submission `snapshot` freezes what Anquan then held about the enterprise's risks
    (reports.build_snapshot). A supervisor accepts it or returns it with a reason; a returned report is
    resubmitted with a new snapshot. The status changes only through the transitions in actions.py."""

    former_labels = ("risk.riskreport",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="region_code", department="supervising_department_id", enterprise="enterprise_id"
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="risk_reports",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    # the enterprise's own statement
    principal_name = models.CharField(_("principal person"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    statement = models.TextField(_("main risks and control measures"), blank=True)
    # frozen at submission (reports.build_snapshot)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_riskreport"  # the risk app's table (ADR 0015)
        ordering = ["-year", "region_code", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_risk_report_per_year"),
        ]
        indexes = [models.Index(fields=["year", "status", "region_code"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年安全生产风险报告"


class RiskReportEvent(WorkflowEvent):
    """One step of a report (who, when, from, to, comment): its history as the pages show it."""

    former_labels = ("risk.riskreportevent",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="report__region_code",
        department="report__supervising_department_id",
        enterprise="report__enterprise_id",
    )

    report = models.ForeignKey(RiskReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=ReportAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=ReportStatus.choices)

    class Meta(WorkflowEvent.Meta):
        db_table = "risk_riskreportevent"  # the risk app's table (ADR 0015)
        pass

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
