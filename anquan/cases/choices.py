"""The vocabulary of enforcement cases: stages, actions, measures, sources (labels are the Chinese the pages show)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PENDING_APPROVAL = "pending_approval", _("Awaiting approval to open")
    NOT_OPENED = "not_opened", _("Not opened")
    INVESTIGATING = "investigating", _("Investigation (case stage)")
    REVIEWING = "reviewing", _("Case review")
    NOTIFIED = "notified", _("Party notified")
    DECIDED = "decided", _("Decided, awaiting delivery")
    EXECUTING = "executing", _("Execution")
    CLOSING = "closing", _("Awaiting approval to close")
    CLOSED = "closed", _("Closed (case)")


# the stages in which the case-time limit runs (立案 to the decision)
TIMED = (Stage.INVESTIGATING, Stage.REVIEWING, Stage.NOTIFIED)
OPEN = (
    Stage.PENDING_APPROVAL,
    Stage.INVESTIGATING,
    Stage.REVIEWING,
    Stage.NOTIFIED,
    Stage.DECIDED,
    Stage.EXECUTING,
    Stage.CLOSING,
)
# the step bar (Stage.NOT_OPENED ends the bar early)
BAR = (
    Stage.PENDING_APPROVAL,
    Stage.INVESTIGATING,
    Stage.REVIEWING,
    Stage.NOTIFIED,
    Stage.DECIDED,
    Stage.EXECUTING,
    Stage.CLOSING,
    Stage.CLOSED,
)


class Action(models.TextChoices):
    APPROVE = "approve", _("Approve opening")
    REFUSE = "refuse", _("Not opened")
    ASSIGN = "assign", _("Name investigators")
    EXTEND = "extend", _("Extend the case-time limit")
    FINISH_INVESTIGATION = "finish_investigation", _("End investigation")
    NOTIFY = "notify", _("Notify the party")
    STATEMENT = "statement", _("Record statement and defence")
    HEARING = "hearing", _("Record hearing")
    LEGAL_REVIEW = "legal_review", _("Legal review")
    DISCUSS = "discuss", _("Collective discussion")
    DECIDE = "decide", _("Decide the penalty")
    DELIVER = "deliver", _("Deliver the decision")
    PAY = "pay", _("Record payment")
    DAILY_PENALTY = "daily_penalty", _("Daily continuous penalty")
    COURT = "court", _("Apply to court for enforcement")
    REQUEST_CLOSE = "request_close", _("Request closing")
    APPROVE_CLOSE = "approve_close", _("Approve closing")
    RETURN_CLOSE = "return_close", _("Return closing request")


class Source(models.TextChoices):
    INSPECTION = "inspection", _("Supervisory inspection")
    HAZARD = "hazard", _("Hazard (case source)")
    TIP_OFF = "tip_off", _("Tip-off (case source)")
    OTHER = "other", _("Other (case source)")


class MeasureKind(models.TextChoices):
    WARNING = "warning", _("Warning (penalty)")
    FINE = "fine", _("Fine")
    CONFISCATE = "confiscate", _("Confiscation of illegal gains")
    SUSPEND = "suspend", _("Order to suspend for rectification")
    LICENSE_SUSPEND = "license_suspend", _("Suspension of licence")
    LICENSE_REVOKE = "license_revoke", _("Revocation of licence")
    CLOSE = "close", _("Closure and ban")


class PartyKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation (party)")
    PERSON = "person", _("Individual (party)")


class ExtensionLevel(models.TextChoices):
    HEAD = "head", _("Approved by the department head")
    ABOVE = "above", _("Approved by the level above")


class DeliveryMethod(models.TextChoices):
    IN_PERSON = "in_person", _("Delivered in person")
    LEFT = "left", _("Left at the address")
    POST = "post", _("Delivered by post")
    ELECTRONIC = "electronic", _("Delivered electronically (party agreed)")
    NOTICE = "notice", _("Delivered by public notice")


class PoliceAnswer(models.TextChoices):
    FILED = "filed", _("Case filed (police)")
    NOT_FILED = "not_filed", _("Not filed (police)")
    RETURNED = "returned", _("Returned (police)")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting the head's decision")
    APPROVED = "approved", _("Approved, awaiting transfer")
    DECLINED = "declined", _("Referral declined")
    TRANSFERRED = "transferred", _("Transferred")
    ANSWERED = "answered", _("Police answered")


class ListingStatus(models.TextChoices):
    LISTED = "listed", _("On the dishonesty list")
    REMOVED = "removed", _("Removed early")
    EXPIRED = "expired", _("Removed at expiry")


class ListingCondition(models.TextChoices):
    """MEM Order 11 (credit_blacklist.json): the five accident cases and the two violation cases seen."""

    MAJOR_ACCIDENT = "major_accident", _("Especially serious or serious accident")
    TWO_LARGER = "two_larger", _("Two or more larger accidents within 12 months")
    ART114_MULTIPLE = "art114_multiple", _("Fined 2 to 5 times under Safety Law art. 114")
    CONCEALED = "concealed", _("Concealed or falsely reported an accident")
    FLED = "fled", _("Did not organise rescue, left post or fled after an accident")
    UNLICENSED = "unlicensed", _("Operated without a licence or while it was suspended or revoked")
    FALSE_REPORT = (
        "false_report",
        _("Assessment or testing body lent its qualification or issued false reports"),
    )
