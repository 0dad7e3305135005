from django.db import models
from django.utils.translation import gettext_lazy as _

# the level stored on an enterprise (Enterprise.risk_level), graded by the risk app
from anquan.enterprises.choices import RiskLevel


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


class PointKind(models.TextChoices):
    """GLOSSARY 风险点: a place, an installation or an activity."""

    PLACE = "place", _("Place")
    INSTALLATION = "installation", _("Installation")
    ACTIVITY = "activity", _("Activity")


class FactorKind(models.TextChoices):
    """GB/T 13861-2022 危险和有害因素: the four classes (人、物、环境、管理)."""

    HUMAN = "human", _("Human factors")
    OBJECT = "object", _("Object factors")
    ENVIRONMENT = "environment", _("Environmental factors")
    MANAGEMENT = "management", _("Management factors")


class MeasureKind(models.TextChoices):
    ENGINEERING = "engineering", _("Engineering")
    MANAGEMENT = "management", _("Management")
    TRAINING = "training", _("Training")
    PPE = "ppe", _("Personal protection")
    EMERGENCY = "emergency", _("Emergency")


class ControlTier(models.TextChoices):
    COMPANY = "company", _("Company")
    WORKSHOP = "workshop", _("Workshop")
    TEAM = "team", _("Team")
    POST = "post", _("Post")
