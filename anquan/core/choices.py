"""What an audit entry records (its action)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status change")
    IMPORT = "import", _("Imported")
    VIEW = "view", _("Viewed")  # a read that must leave a trace (a tip-off reporter's identity)


class NotificationKind(models.TextChoices):
    """What a notification is about: the notifications page groups them by it. A kind that announces a task
    (to accept, to review, …) is cleared for everyone it went to once that task is done (`notify.resolve`)."""

    OTHER = "other", _("Other notices")
    HAZARD_ACCEPT = "hazard_accept", _("Hazard reports to accept")
    HAZARD_RECTIFY = "hazard_rectify", _("Rectifications assigned")
    HAZARD_REVIEW = "hazard_review", _("Rectifications to review")
    HAZARD_EXTENSION = "hazard_extension", _("Extension requests")
    HAZARD_DELIST = "hazard_delist", _("Listed hazards to delist")
    HAZARD_DEADLINE = "hazard_deadline", _("Rectification deadlines")
    HAZARD_PROGRESS = "hazard_progress", _("Hazard progress")
    HAZARD_FEEDBACK = "hazard_feedback", _("Feedback on my reports")
    RISK_REPORT_REVIEW = "risk_report_review", _("Risk reports to review")
    RISK_REPORT_RESULT = "risk_report_result", _("Risk report results")
    CHECK_ALERT = "check_alert", _("Control check alerts")
    RISK_REASSESS = "risk_reassess", _("Risk reassessment reminders")
