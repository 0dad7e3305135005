from django.db import models
from django.utils.translation import gettext_lazy as _

# the level stored on an enterprise (Enterprise.risk_level), graded by the risk app


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
