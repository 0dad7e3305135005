"""Control (self-check) schedules of risk points and their tasks (services.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.riskpoints.models import RISK_WRITERS, RiskPoint

from .choices import CheckFrequency, TaskStatus

# --- control (self-check) schedules and their tasks (services.py) -------------------------------------


class CheckSchedule(models.Model):
    """A risk point checked by one job post at one frequency; tasks.generate makes its tasks."""

    former_labels = ("risk.checkschedule",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("frequency"), max_length=10, choices=CheckFrequency.choices)
    post = models.CharField(_("post"), max_length=100)
    content = models.TextField(_("check content"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_checkschedule"  # the risk app's table (ADR 0015)
        ordering = ["point", "frequency", "post", "id"]

    def __str__(self) -> str:
        return f"{self.point} · {self.get_frequency_display()} · {self.post}"


class CheckTask(models.Model):
    """One period's check of a schedule. Open until done ("all normal" or a reported hazard); an open
    task whose period has ended becomes missed (tasks.mark_missed) and is counted."""

    former_labels = ("risk.checktask",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="region_code", department="supervising_department_id", enterprise="enterprise_id"
    )

    schedule = models.ForeignKey(CheckSchedule, on_delete=models.CASCADE, related_name="tasks")
    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="check_tasks")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))  # exclusive
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "risk_checktask"  # the risk app's table (ADR 0015)
        ordering = ["period_start", "point_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_start"], name="one_task_per_period"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "period_start"]),
            models.Index(fields=["region_code", "status", "period_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period_start:%Y-%m-%d %H:%M}"


class CheckTaskEvent(WorkflowEvent):
    """A check task's step (done normal, done with a hazard, missed: checks/workflow.py)."""

    former_labels = ("risk.checktaskevent",)  # in audit entries made before ADR 0015

    scope = ScopeSpec(
        region="task__region_code",
        department="task__supervising_department_id",
        enterprise="task__enterprise_id",
    )

    task = models.ForeignKey(CheckTask, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        db_table = "risk_checktaskevent"  # the risk app's table (ADR 0015)
        pass

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"
