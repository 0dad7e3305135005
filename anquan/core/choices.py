"""What an audit entry records (its action)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    TRANSITION = "transition", _("Status change")
    IMPORT = "import", _("Imported")
