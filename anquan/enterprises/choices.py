from django.db import models
from django.utils.translation import gettext_lazy as _


class Scale(models.TextChoices):
    ABOVE = "above", _("Above designated size")
    BELOW = "below", _("Below designated size")


class Status(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class StandardizationGrade(models.TextChoices):
    NONE = "none", _("Not graded")
    LEVEL1 = "level1", _("Level 1")
    LEVEL2 = "level2", _("Level 2")
    LEVEL3 = "level3", _("Level 3")


class KeySupervisionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")


# the stored level of an enterprise (`Enterprise.risk_level`), graded by `anquan.riskpoints.levels`
class RiskLevel(models.TextChoices):
    """GLOSSARY risk_level: 重大/较大/一般/低风险 shown red/orange/yellow/blue."""

    RED = "red", _("Major risk")
    ORANGE = "orange", _("Considerable risk")
    YELLOW = "yellow", _("General risk")
    BLUE = "blue", _("Low risk")
