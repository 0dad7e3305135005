from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.enterprises.choices import (
    RiskLevel as RiskLevel,  # the four levels, kept on the enterprise (re-exported)
)


class Method(models.TextChoices):
    LEC = "LEC", "LEC"
    LS = "LS", "LS"


class UnitType(models.TextChoices):
    """GB 18218-2018 3.5 / 3.6: production unit or storage unit."""

    PRODUCTION = "production", _("Production unit")
    STORAGE = "storage", _("Storage unit")


# order of severity, highest first (GLOSSARY risk_level)
LEVEL_ORDER = (RiskLevel.RED, RiskLevel.ORANGE, RiskLevel.YELLOW, RiskLevel.BLUE)
LEVEL_RANK = {
    level.value: rank for rank, level in enumerate(reversed(LEVEL_ORDER), start=1)
}  # blue 1 … red 4
LEVEL_COLOURS = {"red": "#dc3545", "orange": "#fd7e14", "yellow": "#ffc107", "blue": "#0d6efd"}
