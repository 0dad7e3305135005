"""Why an API token stopped working (shown on the token pages and in the API)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevokeReason(models.TextChoices):
    OWNER = "owner", _("Revoked by its owner")
    ADMIN = "admin", _("Revoked by an administrator")
    ALL = "all", _("All tokens revoked")
    DISABLED = "disabled", _("Account disabled")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
