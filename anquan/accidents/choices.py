from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Edition(models.TextChoices):
    GB6441_1986 = "1986", _("GB 6441-1986 (20 kinds)")
    GB6441_2025 = "2025", _("GB 6441-2025 (27 basic types)")


class Grade(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary accident")
    LARGER = "larger", _("Larger accident")
    MAJOR = "major", _("Major accident")
    ESPECIALLY_MAJOR = "especially_major", _("Especially major accident")


class Window(models.TextChoices):
    """Which late-report window of Decree 493 art. 13 applies."""

    GENERAL = "general", _("30 days")
    ROAD_TRAFFIC = "road_traffic", _("Road traffic accident (7 days)")
    FIRE = "fire", _("Fire accident (7 days)")


class Status(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("accident status", "Reported")
    INVESTIGATING = "investigating", _("Under investigation")
    REPORT_SUBMITTED = "report_submitted", _("Investigation report submitted")
    CLOSED = "closed", _("Closed")


class Level(models.TextChoices):
    """Who reports to whom (Decree 493 arts. 9–11)."""

    UNIT = "unit", _("The unit")
    COUNTY = "county", _("County government")
    CITY = "city", _("City government")
    PROVINCE = "province", _("Province government")
    STATE = "state", _("State Council department")


class Action(models.TextChoices):
    REPORT = "report", _("Accident reported")
    REPORT_UP = "report_up", _("Reported to the level above")
    LATE_REPORT = "late_report", _("Late report of casualties")
    START_INVESTIGATION = "start_investigation", _("Investigation started")
    EXTEND_INVESTIGATION = "extend_investigation", _("Investigation extended")
    SUBMIT_REPORT = "submit_report", _("Investigation report submitted")
    CLOSE = "close", _("Closed")
