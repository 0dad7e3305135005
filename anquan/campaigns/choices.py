from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (campaign)")
    ACTIVE = "active", _("Under way (campaign)")
    CLOSED = "closed", _("Closed (campaign)")


class TaskStatus(models.TextChoices):
    """A campaign task's life (issue #15): assigned → in_progress → reported_done → verified_done; overdue set by
    the jobs when its deadline passed before it was reported done."""

    ASSIGNED = "assigned", _("Assigned (task)")
    IN_PROGRESS = "in_progress", _("In progress (task)")
    OVERDUE = "overdue", _("Overdue (task)")
    REPORTED_DONE = "reported_done", _("Reported done (task)")
    VERIFIED_DONE = "verified_done", _("Verified done (task)")


class UnitRole(models.TextChoices):
    """The role words of a task list's parentheses: （市安委组织，市应急管理局牵头，…会同…分工负责，各乡镇落实）."""

    ORGANISE = "organise", _("Organises (组织)")
    LEAD = "lead", _("Leads (牵头)")
    JOINTLY = "jointly", _("Jointly with (会同)")
    SHARE = "share", _("Shares the work (分工负责)")
    IMPLEMENT = "implement", _("Implements (落实)")
    RESPONSIBLE = "responsible", _("Responsible (负责)")


class UnitKind(models.TextChoices):
    """What a unit named in a task list is: one department's office, one region's government, every region one
    level below a region (各乡镇(街道、管委会、场、库)), every member department of a committee (市直有关部门),
    or text nobody has mapped yet."""

    DEPARTMENT = "department", _("Department")
    REGION = "region", _("Region government")
    CHILD_REGIONS = "child_regions", _("Every region below")
    MEMBER_DEPARTMENTS = "members", _("Member departments")
    UNRECOGNISED = "unrecognised", _("Not recognised")


class TargetSource(models.TextChoices):
    """How a target's actual is reported: by the unit, or read from the system's own data."""

    MANUAL = "manual", _("Reported by the unit")
    AUTOMATIC = "automatic", _("Read from the system")


class DispatchStatus(models.TextChoices):
    OPEN = "open", _("Open for reports")
    CLOSED = "closed", _("Closed (dispatch)")


class ImportStatus(models.TextChoices):
    PREVIEW = "preview", _("To be checked")
    APPLIED = "applied", _("Imported (task list)")
