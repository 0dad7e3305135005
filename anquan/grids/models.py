"""Patrol plans, patrol tasks and their visits, and the monthly allowances of village safety officers.

A grid (regions.Grid, township or village) has one patrol plan; each period of the plan's frequency has one task
(services.generate) listing the grid's small venues and enterprises as they were when it was made (`targets`);
a visit records one target's result (正常, or a hazard reported with source grid_patrol). A task is done when
every target was visited, and missed when its period ends first (services.mark_missed)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Role
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.regions.models import Grid

from .choices import PatrolFrequency, PatrolStatus, TargetType

# who may make or change a patrol plan and record allowances: the offices of the area
PLAN_WRITERS = frozenset(
    {Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.TOWNSHIP_OFFICE, Role.SYSADMIN}
)


class PatrolPlan(models.Model):
    """How often a grid is patrolled: `frequency` set by the office, or "" to follow the rule data
    (grids.patrol: the most frequent of its venues' kinds and enterprises' risk levels)."""

    scope = ScopeSpec(region="region_code", change=PLAN_WRITERS)

    grid = models.OneToOneField(Grid, on_delete=models.CASCADE, related_name="patrol_plan")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    frequency = models.CharField(
        _("patrol frequency"), max_length=10, choices=PatrolFrequency.choices, blank=True
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region_code", "grid_id"]
        verbose_name = _("patrol plan")

    def __str__(self) -> str:
        return f"{self.grid} 巡查计划"

    def save(self, *args, **kwargs):
        self.region_code = self.grid.region_code
        super().save(*args, **kwargs)


class PatrolTask(models.Model):
    """One period's patrol of a grid. `targets`: [{"type": "venue"|"enterprise", "id", "name", "kind", "label"}]."""

    scope = ScopeSpec(region="region_code")

    plan = models.ForeignKey(PatrolPlan, on_delete=models.CASCADE, related_name="tasks")
    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="patrol_tasks")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    worker = models.ForeignKey(  # the grid worker who answers for it (the grid's first worker when made)
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patrol_tasks",
        verbose_name=_("grid worker"),
    )
    frequency = models.CharField(_("patrol frequency"), max_length=10, choices=PatrolFrequency.choices)
    rule_version = models.ForeignKey(
        "rules.RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))  # exclusive
    # the venues and enterprises as they were when the task was made: a working list, not audited field by field
    # (its changes are entries of their own, grids.services.take_in_new_targets)
    AUDIT_EXCLUDE = ("targets",)
    targets = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=PatrolStatus.choices, default=PatrolStatus.OPEN, db_index=True
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checkin_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    checkin_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)
    missed_targets = models.PositiveIntegerField(default=0)  # targets left unvisited when it was missed

    class Meta:
        ordering = ["period_start", "grid_id", "id"]
        verbose_name = _("patrol task")
        constraints = [
            models.UniqueConstraint(fields=["grid", "period_start"], name="one_patrol_per_grid_period"),
        ]
        indexes = [models.Index(fields=["region_code", "status", "period_start"])]

    def __str__(self) -> str:
        return f"{self.grid} {self.period_start:%Y-%m-%d}"


class PatrolVisit(models.Model):
    """One target's result within a task: all normal, or a hazard (reported through hazards.services)."""

    scope = ScopeSpec(region="task__region_code")

    task = models.ForeignKey(PatrolTask, on_delete=models.CASCADE, related_name="visits")
    target_type = models.CharField(max_length=12, choices=TargetType.choices)
    target_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200)
    ok = models.BooleanField(_("normal"))
    items = models.JSONField(default=list)  # [{"code", "text", "ok"}] the checklist as answered
    note = models.TextField(_("note"), blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    visited_at = models.DateTimeField(_("visited at"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["visited_at", "id"]
        verbose_name = _("patrol visit")
        constraints = [
            models.UniqueConstraint(fields=["task", "target_type", "target_id"], name="one_visit_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.name}"


class PatrolTaskEvent(WorkflowEvent):
    """A patrol task's step (checked in, done, missed: workflow.py)."""

    scope = ScopeSpec(region="task__region_code")

    task = models.ForeignKey(PatrolTask, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


class Allowance(models.Model):
    """A village safety officer's allowance for one month (每月补助), at the amount recorded then."""

    scope = ScopeSpec(region="region_code", change=PLAN_WRITERS)

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="allowances")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # its first day
    amount = models.DecimalField(_("amount (yuan)"), max_digits=9, decimal_places=2)
    rule_version = models.ForeignKey(
        "rules.RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month", "grid_id", "worker_id"]
        verbose_name = _("allowance")
        constraints = [
            models.UniqueConstraint(fields=["grid", "worker", "month"], name="one_allowance_per_month"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.month:%Y-%m} {self.amount}"

    def save(self, *args, **kwargs):
        self.region_code = self.grid.region_code
        super().save(*args, **kwargs)
