from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE = 5, _("Village")


class GridLevel(models.TextChoices):
    """网格的层级: a township's or a village's grid, or a responsibility unit inside an enterprise (issue #14)."""

    TOWNSHIP = "township", _("Township grid")
    VILLAGE = "village", _("Village grid")
    ENTERPRISE = "enterprise", _("Enterprise-internal grid unit")
