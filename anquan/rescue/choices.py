"""The vocabulary of rescue forces: kinds of team, specialities, readiness, stock categories and movements."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional rescue team")
    ENTERPRISE = "enterprise", _("Enterprise rescue team")
    VOLUNTEER = "volunteer", _("Social (volunteer) rescue team")


class Speciality(models.TextChoices):
    HAZARDOUS_CHEMICALS = "hazardous_chemicals", _("Hazardous chemicals rescue")
    MINE = "mine", _("Mine rescue")
    FIRE = "fire", _("Fire fighting and rescue")
    FLOOD = "flood", _("Flood and water rescue")
    EARTHQUAKE = "earthquake", _("Earthquake and collapse rescue")
    FOREST_FIRE = "forest_fire", _("Forest fire fighting")
    MEDICAL = "medical", _("Emergency medical rescue")
    COMPREHENSIVE = "comprehensive", _("Comprehensive rescue")
    OTHER = "other", _("Other rescue speciality")


class Readiness(models.TextChoices):
    READY = "ready", _("Ready for dispatch")
    DEPLOYED = "deployed", _("Deployed on a mission")
    TRAINING = "training", _("In training")
    UNAVAILABLE = "unavailable", _("Temporarily unavailable")


class StockCategory(models.TextChoices):
    PROTECTION = "protection", _("Personal protection supplies")
    FIRE = "fire", _("Fire fighting supplies")
    LEAK = "leak", _("Leak control and decontamination supplies")
    RESCUE = "rescue", _("Rescue tools and equipment")
    MEDICAL = "medical", _("Medical supplies")
    LIVING = "living", _("Living supplies")
    LIGHTING = "lighting", _("Lighting, power and communication")
    OTHER = "other", _("Other supplies")


class Direction(models.TextChoices):
    IN = "in", _("Stock in")
    OUT = "out", _("Stock out")
