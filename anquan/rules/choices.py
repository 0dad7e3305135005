from django.db import models
from django.utils.translation import gettext_lazy as _


class Verification(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    PARTIAL = "partial", _("Partly verified")
    NOT_FOUND = "not_found", _("Not verified")
