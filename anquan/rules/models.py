"""A version of a kind of rule data: figures in force from a date, for the nation or one province."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Verification


class RuleVersion(models.Model):
    key = models.CharField(_("kind"), max_length=60, db_index=True)
    # GB/T 2260 code of the province the version applies to; "" = national
    region_code = models.CharField(_("province"), max_length=12, blank=True, default="")
    effective_from = models.DateField(_("in force from"))
    values = models.JSONField(_("figures"))
    source = models.TextField(_("source"))
    verified = models.CharField(_("verification"), max_length=10, choices=Verification.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        ordering = ["key", "region_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "region_code", "effective_from"], name="one_rule_version_per_day"
            ),
        ]

    def __str__(self) -> str:
        from .registry import kind

        try:
            label = kind(self.key).label
        except LookupError:  # a kind no app declares any more
            label = self.key
        return f"{label}（{self.effective_from:%Y-%m-%d}起施行）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # versions are never edited in place: a change is a new version (services.add_version)
        if self.pk is not None:
            raise ValueError("a rule version is never edited in place; add a new version")
        super().save(*args, **kwargs)

    @property
    def is_verified(self) -> bool:
        return self.verified == Verification.VERIFIED

    @property
    def typed(self) -> Any:
        """The figures as the kind's schema instance."""
        from .registry import kind

        return kind(self.key).schema.model_validate(self.values)
