"""Vocabulary of yearly inspection plans and risk-based targeting."""

from django.db import models
from django.utils.translation import pgettext_lazy


class PlanStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("inspection plan status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("inspection plan status", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("inspection plan status", "Approved")
    RETURNED = "returned", pgettext_lazy("inspection plan status", "Returned")
    SUPERSEDED = "superseded", pgettext_lazy("inspection plan status", "Superseded by a revision")


class PlanAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("inspection plan action", "Drafted")
    SUBMIT = "submit", pgettext_lazy("inspection plan action", "Submitted for approval")
    APPROVE = "approve", pgettext_lazy("inspection plan action", "Approved")
    RETURN = "return", pgettext_lazy("inspection plan action", "Returned")
    REVISE = "revise", pgettext_lazy("inspection plan action", "Revision started")
    SUPERSEDE = "supersede", pgettext_lazy("inspection plan action", "Superseded")


class PlanLevel(models.TextChoices):
    """省/市/县 three-level plans (the seeds: 科学制定省、市、县三级年度执法计划), from the issuing region's level."""

    PROVINCE = "province", pgettext_lazy("plan level", "Province")
    CITY = "city", pgettext_lazy("plan level", "City")
    COUNTY = "county", pgettext_lazy("plan level", "County")


class Band(models.TextChoices):
    """Targeting bands, highest first; their score thresholds and frequencies are rule data (rules.py)."""

    KEY = "key", pgettext_lazy("targeting band", "Key")
    WATCH = "watch", pgettext_lazy("targeting band", "Watch")
    GENERAL = "general", pgettext_lazy("targeting band", "General")
    RANDOM = "random", pgettext_lazy("targeting band", "Random checks only")


class EntryDecision(models.TextChoices):
    PENDING = "pending", pgettext_lazy("plan entry decision", "To confirm")
    ACCEPTED = "accepted", pgettext_lazy("plan entry decision", "Proposal accepted")
    OVERRIDDEN = "overridden", pgettext_lazy("plan entry decision", "Overridden")


class EntrySource(models.TextChoices):
    BAND = "band", pgettext_lazy("plan entry source", "Targeting band")
    MAJOR_HAZARD = "major_hazard", pgettext_lazy("plan entry source", "Major hazard installation")
    ADDED = "added", pgettext_lazy("plan entry source", "Added by hand")


STATUS_COLOURS = {
    PlanStatus.DRAFT: "secondary",
    PlanStatus.SUBMITTED: "warning",
    PlanStatus.APPROVED: "success",
    PlanStatus.RETURNED: "danger",
    PlanStatus.SUPERSEDED: "light",
}
BAND_COLOURS = {Band.KEY: "danger", Band.WATCH: "warning", Band.GENERAL: "info", Band.RANDOM: "secondary"}
