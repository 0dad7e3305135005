from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    PLAN = "plan", _("Planned inspection")
    RANDOM = "random", _("Double-random inspection")
    COMPLAINT = "complaint", _("Complaint verification")
    SPECIAL = "special", _("Special inspection")
    REVIEW = "review", _("Follow-up review")


class Status(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("Inspecting")
    DONE = "done", pgettext_lazy("inspection status", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("inspection status", "Cancelled")


STATUS_COLOURS = {
    Status.PLANNED: "secondary",
    Status.IN_PROGRESS: "warning",
    Status.DONE: "success",
    Status.CANCELLED: "dark",
}


class Result(models.TextChoices):
    COMPLIANT = "compliant", _("Compliant")
    NONCOMPLIANT = "noncompliant", _("Non-compliant")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")
