from django.db import models
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("risk report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("risk report status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("risk report status", "Accepted")
    RETURNED = "returned", pgettext_lazy("risk report status", "Returned")


class ReportAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("risk report action", "Prepared")
    SUBMIT = "submit", pgettext_lazy("risk report action", "Submitted")
    RESUBMIT = "resubmit", pgettext_lazy("risk report action", "Resubmitted")
    ACCEPT = "accept", pgettext_lazy("risk report action", "Accepted")
    RETURN = "return", pgettext_lazy("risk report action", "Returned")
