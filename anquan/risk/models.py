"""Versioned risk band tables (LEC / LS) and the hazard categories Anquan holds for GB 18218 表1 substances.

A band table is the whole scoring scheme of one method for one province (or the national default):
the allowed factor values and the ordered bands. It is never edited in place: a change is a new
version made by services.set_band_table (audited), which also deactivates the previous one, so an
assessment made with an old version can still be explained with that version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Method, RiskLevel


class RiskBandTable(models.Model):
    method = models.CharField(_("method"), max_length=3, choices=Method.choices)
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveIntegerField(_("version"))
    # GB/T 2260 code of the province the table applies to; "" = the national default
    region_code = models.CharField(_("province"), max_length=12, blank=True, default="")
    source = models.TextField(_("source"))
    verified = models.BooleanField(_("verified"), default=False)
    verification_note = models.TextField(_("verification note"), blank=True)
    endpoint_convention = models.CharField(
        max_length=200, default="min_score inclusive, max_score exclusive; lowest band from 0"
    )
    active = models.BooleanField(_("active"), default=True)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supersedes"),
    )
    comment = models.TextField(_("comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["method", "region_code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "region_code", "version"], name="one_band_table_version"
            ),
            models.UniqueConstraint(
                fields=["method", "region_code"], condition=Q(active=True), name="one_active_band_table"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}{'（' + self.region_code + '）' if self.region_code else ''}"

    def save(self, *args, **kwargs):
        # versions are immutable: after creation only the `active` flag may change
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"active"}:
            raise ValueError("a band table version is never edited in place; create a new version")
        super().save(*args, **kwargs)


class RiskFactorValue(models.Model):
    """An allowed value of one factor (LEC: L, E, C; LS: L, S) in one band table version."""

    table = models.ForeignKey(RiskBandTable, on_delete=models.CASCADE, related_name="factor_values")
    factor = models.CharField(max_length=1)
    value = models.DecimalField(max_digits=10, decimal_places=4)
    label = models.CharField(max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["table", "factor", "order"]
        constraints = [
            models.UniqueConstraint(fields=["table", "factor", "value"], name="one_factor_value"),
        ]

    def __str__(self) -> str:
        return f"{self.factor}={self.value}"


class RiskBand(models.Model):
    """min_score ≤ score < max_score (max_score null = no upper bound)."""

    table = models.ForeignKey(RiskBandTable, on_delete=models.CASCADE, related_name="bands")
    order = models.PositiveSmallIntegerField(default=0)
    min_score = models.DecimalField(max_digits=12, decimal_places=4)
    max_score = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["table", "order"]

    def __str__(self) -> str:
        return f"[{self.min_score}, {self.max_score or '∞'}) {self.level}"


class SubstanceCategory(models.Model):
    """GB 18218-2018 表2 category symbol(s) held for a 表1 substance, used for β (表4) when the caller
    gives none. Only cited entries; `verified` says whether the entry was checked against its source."""

    table1_no = models.PositiveSmallIntegerField(_("GB 18218 table 1 no."), unique=True)
    name = models.CharField(_("name"), max_length=200)
    cas = models.CharField("CAS", max_length=20, blank=True)
    categories = models.JSONField(_("categories"), default=list)  # e.g. ["W2"]
    source = models.TextField(_("source"))
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["table1_no"]

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.categories)}"
