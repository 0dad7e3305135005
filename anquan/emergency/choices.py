"""The vocabulary of emergency plans and drills: the kinds of plan (MEM Order 2 of 2019, art. 6), the stages of a
plan's filing (art. 26–28), the kinds of drill and the situations that make a plan be revised (art. 36–37)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive emergency plan")
    SPECIAL = "special", _("Special emergency plan")
    ON_SITE = "on_site", _("On-site disposal plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Plan not yet submitted for filing")
    SUBMITTED = "submitted", _("Submitted for filing")
    FILED = "filed", _("Plan filed")
    RETURNED = "returned", _("Returned for filing")
    SUPERSEDED = "superseded", _("Superseded by a revision")


class PlanAction(models.TextChoices):
    SUBMIT = "submit", _("Submit for filing")
    FILE = "file", _("File the plan")
    RETURN = "return", _("Return the plan")
    RESUBMIT = "resubmit", _("Resubmit for filing")
    LAPSE = "lapse", _("Filed by lapse of time")
    SUPERSEDE = "supersede", _("Superseded by a revision")


class DrillKind(models.TextChoices):
    TABLETOP = "tabletop", _("Tabletop exercise")
    FUNCTIONAL = "functional", _("Functional drill")
    FULL_SCALE = "full_scale", _("Full-scale drill")


class RevisionReason(models.TextChoices):
    """MEM Order 2 art. 36 (Decree 708 art. 6 para. 2): the situations in which a plan is revised."""

    LAW = "law", _("Laws, standards or higher-level plans changed")
    COMMAND = "command", _("Emergency command or its duties changed")
    RISK = "risk", _("The risks changed significantly")
    RESOURCES = "resources", _("Important emergency resources changed")
    DRILL_FINDINGS = "drill_findings", _("Drills or rescues found major problems")
    OTHER = "other", _("Other reasons of the unit")


class RefilingChange(models.TextChoices):
    """MEM Order 2 art. 37: a revision that changes these is re-filed."""

    COMMAND_SYSTEM = "command_system", _("Command system and duties")
    PROCEDURE = "procedure", _("Emergency disposal procedure")
    MEASURES = "measures", _("Main disposal measures")
    RESPONSE_LEVELS = "response_levels", _("Emergency response levels")


# the stages in which a plan is the unit's plan in force (drills and evaluations are counted for it)
CURRENT = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.FILED, PlanStatus.RETURNED)

STATUS_COLOURS = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.SUBMITTED: "warning",
    PlanStatus.FILED: "success",
    PlanStatus.RETURNED: "danger",
    PlanStatus.SUPERSEDED: "dark",
}
