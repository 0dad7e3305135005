from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    SELF_CHECK = "self_check", _("Enterprise self-check")
    INSPECTION = "inspection", _("Government inspection")
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    TIP_OFF = "tip_off", _("Public tip-off")
    ALARM = "alarm", _("Monitoring alarm")
    THIRD_PARTY = "third_party", _("Third-party service")


# reports from these sources wait for an authority to accept or reject them
NEEDS_ACCEPTANCE = {Source.GRID_PATROL, Source.TIP_OFF, Source.ALARM}


class Level(models.TextChoices):
    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed")
    RECTIFYING = "rectifying", _("Rectifying")
    SUBMITTED = "submitted", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted, awaiting delisting")
    CLOSED = "closed", pgettext_lazy("hazard status", "Closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (Status.REPORTED, Status.CONFIRMED, Status.RECTIFYING, Status.SUBMITTED, Status.ACCEPTED)
STATUS_COLOURS = {
    Status.REPORTED: "secondary",
    Status.CONFIRMED: "info",
    Status.RECTIFYING: "warning",
    Status.SUBMITTED: "primary",
    Status.ACCEPTED: "primary",
    Status.CLOSED: "success",
    Status.REJECTED: "dark",
    Status.CANCELLED: "dark",
}


class Action(models.TextChoices):
    REPORT = "report", _("Report")
    ACCEPT = "accept", _("Accept report")
    REJECT = "reject", _("Reject report")
    ASSIGN = "assign", _("Assign rectification")
    SUBMIT = "submit", _("Submit rectification")
    ACCEPT_RECTIFICATION = "accept_rectification", _("Accept rectification and close")
    RETURN = "return", _("Return for more work")
    CANCEL = "cancel", _("Cancel hazard")
    REQUEST_EXTENSION = "request_extension", _("Request extension")
    GRANT_EXTENSION = "grant_extension", _("Grant extension")
    DENY_EXTENSION = "deny_extension", _("Deny extension")
    MARK_OVERDUE = "mark_overdue", _("Marked overdue")
    ESCALATE = "escalate", _("Escalated to the level above")
    LIST = "list", _("Listed for supervision")
    DELIST = "delist", _("Delisted")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    URGE = "urge", _("Urge")


class ListingLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")


class AttachmentStage(models.TextChoices):
    REPORT = "report", _("When reported")
    PLAN = "plan", _("Rectification plan")
    EVIDENCE = "evidence", _("Rectification evidence")
    LISTING = "listing", _("Supervision listing")
    ACCEPTANCE = "acceptance", _("Acceptance check")
