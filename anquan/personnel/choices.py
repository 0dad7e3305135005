"""Field choices of the key-post personnel (issue #17)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Post(models.TextChoices):
    PRINCIPAL = "principal", _("Principal person (key post)")
    SAFETY_MANAGER = "safety_manager", _("Safety manager (key post)")
    SPECIAL_WORKER = "special_worker", _("Special-operation worker")
    TEAM_LEADER = "team_leader", _("Team leader (key post)")
    OTHER = "other", _("Other worker (key post)")


class CertificateKind(models.TextChoices):
    SPECIAL_OPERATION = "special_operation", _("Special operation certificate")
    SAFETY_QUALIFICATION = "safety_qualification", _("Safety knowledge and management ability certificate")


class CertificateState(models.TextChoices):
    VALID = "valid", _("Certificate valid")
    REVIEW_DUE = "review_due", _("Certificate review due soon")
    REVIEW_OVERDUE = "review_overdue", _("Certificate review overdue")
    EXPIRING = "expiring", _("Certificate expiring soon")
    EXPIRED = "expired", _("Certificate expired")


COVERED_STATES = (CertificateState.VALID, CertificateState.REVIEW_DUE, CertificateState.EXPIRING)
STATE_COLOURS = {
    CertificateState.VALID: "success",
    CertificateState.REVIEW_DUE: "warning",
    CertificateState.EXPIRING: "warning",
    CertificateState.REVIEW_OVERDUE: "danger",
    CertificateState.EXPIRED: "danger",
}


class TrainingKind(models.TextChoices):
    INITIAL = "initial", _("Initial safety training")
    YEARLY = "yearly", _("Yearly safety retraining")
    RETRAINING = "retraining", _("Retraining (after an accident, a change of post or a year away)")
    PLANT = "plant", _("Three-level education: plant level")
    WORKSHOP = "workshop", _("Three-level education: workshop level")
    TEAM = "team", _("Three-level education: team level")


class TrainingResult(models.TextChoices):
    PASS = "pass", _("Training passed")
    FAIL = "fail", _("Training failed")
