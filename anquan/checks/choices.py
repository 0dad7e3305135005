from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckFrequency(models.TextChoices):
    SHIFT = "shift", _("Every shift")
    DAY = "day", _("Daily")
    WEEK = "week", _("Weekly")
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE_NORMAL = "done_normal", _("Done: all normal")
    DONE_HAZARD = "done_hazard", _("Done: hazard reported")
    MISSED = "missed", _("Missed")
