from django.db import models
from django.utils.translation import gettext_lazy as _


class PatrolFrequency(models.TextChoices):
    """How often a grid's patrol comes round (a task per period; periods as the control checks', checks.services)."""

    DAY = "day", _("Daily")
    WEEK = "week", _("Weekly")
    MONTH = "month", _("Monthly")


class PatrolStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class TargetType(models.TextChoices):
    VENUE = "venue", _("Small venue")
    ENTERPRISE = "enterprise", _("Enterprise")
