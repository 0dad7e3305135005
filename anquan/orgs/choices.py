"""The kinds of industry code: a GB/T 4754-2017 section or a supervision category."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryKind(models.TextChoices):
    SECTION = "section", _("GB/T 4754-2017 section")
    CATEGORY = "category", _("Supervision category")
