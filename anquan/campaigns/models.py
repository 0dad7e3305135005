"""Campaigns, their stages and battles, tasks and their responsible units and targets, dispatches and the
units' progress reports, task-list imports and the remembered unit names.

A campaign (专项整治三年行动, 治本攻坚三年行动, 百日行动) belongs to the office of one region (its `region_code`:
province, city or county) and may adopt tasks of a higher level's campaign (`parent`, `Task.adopted_from`) to
break them down. A task is one numbered line of the task list: its `units` are the lead and participating or
implementing units as written (recognised as departments or regions, or flagged for a person to map). A task
is fanned out into one sub-task per responsible unit (`parent`), each with its own status and reports; the
line's status rolls up from them. Scope: a task lies in its responsible unit's region and department, so a
county office sees the sub-tasks of its county and a department the tasks of its department; a campaign is
seen by the office of its region and the areas above, and by a unit through its tasks."""

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

from .choices import (
    CampaignStatus,
    DispatchStatus,
    ImportStatus,
    TargetSource,
    TaskStatus,
    UnitKind,
    UnitRole,
)

# who makes campaigns, task lists, dispatches and imports: the committee offices (安委办) of the area
OFFICES = frozenset(
    {Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.TOWNSHIP_OFFICE, Role.SYSADMIN}
)


class Campaign(models.Model):
    scope = ScopeSpec(region="region_code", change=OFFICES)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    name = models.CharField(_("campaign name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)  # 赣安〔2021〕2号
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    parent = models.ForeignKey(  # the higher level's campaign whose tasks this one adopts
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adoptions",
        verbose_name=_("adopted from campaign"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = _("campaign")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class CampaignEvent(WorkflowEvent):
    scope = Campaign.scope.via("campaign")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class Stage(models.Model):
    """A dated stage of a campaign: 动员部署 (March), 实施攻坚 (April–September), 评估提升 (October–December)."""

    scope = Campaign.scope.via("campaign")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("stage name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign_id", "order", "starts_on", "id"]
        verbose_name = _("campaign stage")

    def __str__(self) -> str:
        return self.name


class Battle(models.Model):
    """A battle (攻坚战) or a section (一、筑牢安全理念…) of a campaign's task list."""

    scope = Campaign.scope.via("campaign")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="battles")
    number = models.CharField(_("battle number"), max_length=20, blank=True)  # 一, 二, … or 1, 2, …
    name = models.CharField(_("battle name"), max_length=200)
    lead_text = models.CharField(_("lead unit"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["campaign_id", "order", "id"]
        verbose_name = _("campaign battle")

    def __str__(self) -> str:
        return f"{self.number}{'、' if self.number else ''}{self.name}"


class Task(models.Model):
    """One task of a campaign's list (`parent` empty) or one responsible unit's share of it (a sub-task).

    `region`/`department`: the responsible unit (a region's government when `department` is empty). A line's
    own region is the campaign's and its department the lead department, if one leads."""

    scope = ScopeSpec(region="region_code", department="department_id")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    battle = models.ForeignKey(
        Battle,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("battle"),
    )
    stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name=_("stage")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="subtasks"
    )
    adopted_from = models.ForeignKey(  # a higher level's task this one breaks down
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    number = models.CharField(_("task number"), max_length=20)
    title = models.CharField(_("task title"), max_length=300)
    content = models.TextField(_("task content"), blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible region")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible department"),
    )
    unit_label = models.CharField(
        _("responsible unit"), max_length=200, blank=True
    )  # as shown: 修水县应急管理局
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=15, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    done_on = models.DateField(_("done on"), null=True, blank=True)  # when reported done (on time or not)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["campaign_id", "order", "id"]
        verbose_name = _("campaign task")
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["region_code", "status", "deadline"]),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class TaskEvent(WorkflowEvent):
    scope = Task.scope.via("task")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


class TaskUnit(models.Model):
    """A unit named for a task as the list wrote it (`text`, `role`) and what it was recognised as."""

    scope = Task.scope.via("task")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="units")
    role = models.CharField(_("unit role"), max_length=12, choices=UnitRole.choices)
    text = models.CharField(_("unit as written"), max_length=200)
    kind = models.CharField(_("unit kind"), max_length=15, choices=UnitKind.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["task_id", "order", "id"]
        verbose_name = _("task unit")

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.text}"


class Target(models.Model):
    """A measurable target of a task (培训15万人次, 100%持证上岗, 隐患清零): planned value and unit; the actual
    reported by the unit in its reports, or read from the system's data by `metric` (campaigns.metrics)."""

    scope = Task.scope.via("task")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="targets")
    name = models.CharField(_("target name"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=20, blank=True)  # 万人次, %, 项
    planned = models.DecimalField(_("planned value"), max_digits=14, decimal_places=2)
    source = models.CharField(
        _("how reported"), max_length=10, choices=TargetSource.choices, default=TargetSource.MANUAL
    )
    metric = models.CharField(_("system figure"), max_length=40, blank=True)  # key of campaigns.metrics
    actual = models.DecimalField(_("actual value"), max_digits=14, decimal_places=2, null=True, blank=True)
    actual_at = models.DateTimeField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["task_id", "order", "id"]
        verbose_name = _("task target")

    def __str__(self) -> str:
        return f"{self.name} {self.planned}{self.unit}"


class Dispatch(models.Model):
    """A dispatch (调度) of a campaign: a reporting window in which each responsible unit reports on each of its
    open tasks; the office's dispatch sheet (调度清单) lists reports, late and missing ones."""

    scope = ScopeSpec(region="region_code", change=OFFICES)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="dispatches")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    title = models.CharField(_("dispatch title"), max_length=200)  # 2026年11月调度
    period = models.DateField(_("period"))  # first day of the month reported on
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("reports due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period", "id"]
        verbose_name = _("campaign dispatch")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "period"], name="one_dispatch_per_campaign_period")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.region_code = self.campaign.region_code
        super().save(*args, **kwargs)


class DispatchEvent(WorkflowEvent):
    scope = Dispatch.scope.via("dispatch")

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass


class TaskReport(models.Model):
    """A unit's progress report on one of its tasks, in a dispatch's window or between dispatches."""

    scope = Task.scope.via("task", change=None)

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    text = models.TextField(_("progress made"))
    actuals = models.JSONField(default=dict, blank=True)  # {target id: value as text} as reported
    late = models.BooleanField(_("late"), default=False)  # submitted after the dispatch's due day
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("progress report")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "dispatch"],
                condition=models.Q(dispatch__isnull=False),
                name="one_report_per_task_dispatch",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.submitted_at:%Y-%m-%d}"

    @property
    def region_code(self) -> str:
        return self.task.region_code


def _report_file(instance, filename):
    return f"campaigns/reports/{instance.report_id}/{filename}"


class ReportAttachment(UploadedFile):
    scope = TaskReport.scope.via("report")

    report = models.ForeignKey(TaskReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_report_file)

    class Meta(UploadedFile.Meta):
        pass

    @property
    def region_code(self) -> str:
        return self.report.task.region_code


class Reminder(models.Model):
    """A reminder (催报) the office sent to a unit about a task's missing report in a dispatch."""

    scope = Task.scope.via("task", change=None)

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="reminders")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    message = models.CharField(_("reminder message"), max_length=300, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("reminder")

    def __str__(self) -> str:
        return f"{self.dispatch_id} {self.task_id}"

    @property
    def region_code(self) -> str:
        return self.task.region_code


class TaskImport(models.Model):
    """A task list read from Excel or pasted official text: parsed lines to check (`rows`), then applied to the
    campaign. `rows`: [{"number", "title", "content", "battle", "units": [{"role", "text", "kind", "region",
    "department"}], "deadline"}] as parsed and as a person corrected them."""

    scope = ScopeSpec(region="region_code", change=OFFICES)

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="imports")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    source_name = models.CharField(_("source"), max_length=200, blank=True)  # file name or "粘贴文本"
    text = models.TextField(blank=True)  # the pasted text as given
    AUDIT_EXCLUDE = ("text", "rows")  # the working copy; what it created is audited task by task
    rows = models.JSONField(default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("task list import")

    def __str__(self) -> str:
        return self.source_name or str(self.pk)

    def save(self, *args, **kwargs):
        self.region_code = self.campaign.region_code
        super().save(*args, **kwargs)


class UnitAlias(models.Model):
    """How an office mapped a unit's name in a task list (市委宣传部, 各乡镇(街道、管委会、场、库)), remembered
    for its next import. Kept per office region (`region_code`); a lower office also reads the higher ones'."""

    scope = ScopeSpec(region="region_code", change=OFFICES)

    region_code = models.CharField(max_length=12, db_index=True)
    text = models.CharField(_("unit as written"), max_length=200)
    kind = models.CharField(_("unit kind"), max_length=15, choices=UnitKind.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region_code", "text"]
        verbose_name = _("unit name mapping")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "text"], name="one_alias_per_office_text")
        ]

    def __str__(self) -> str:
        return self.text
