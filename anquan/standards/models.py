"""Versioned risk band tables (LEC / LS) and the hazard categories Anquan holds for GB 18218 表1 substances.

A band table is the whole scoring scheme of one method for one province (or the national default):
the allowed factor values and the ordered bands. It is never edited in place: a change is a new
version made by services.set_band_table (audited), which also deactivates the previous one, so an
assessment made with an old version can still be explained with that version.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Method, RiskLevel


class RiskBandTable(models.Model):
    former_labels = ("risk.riskbandtable",)  # in audit entries made before ADR 0015
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
        db_table = "risk_riskbandtable"  # the risk app's table (ADR 0015)
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
        return f"{self.name}（第{self.version}版{'，' + self.region_code if self.region_code else ''}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # versions are immutable: after creation only the `active` flag may change
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"active"}:
            raise ValueError("a band table version is never edited in place; create a new version")
        super().save(*args, **kwargs)


class RiskFactorValue(models.Model):
    """An allowed value of one factor (LEC: L, E, C; LS: L, S) in one band table version."""

    former_labels = ("risk.riskfactorvalue",)  # in audit entries made before ADR 0015

    table = models.ForeignKey(RiskBandTable, on_delete=models.CASCADE, related_name="factor_values")
    factor = models.CharField(max_length=1)
    value = models.DecimalField(max_digits=10, decimal_places=4)
    label = models.CharField(max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "risk_riskfactorvalue"  # the risk app's table (ADR 0015)
        ordering = ["table", "factor", "order"]
        constraints = [
            models.UniqueConstraint(fields=["table", "factor", "value"], name="one_factor_value"),
        ]

    def __str__(self) -> str:
        return f"{self.factor}={self.value}"


class RiskBand(models.Model):
    """min_score ≤ score < max_score (max_score null = no upper bound)."""

    former_labels = ("risk.riskband",)  # in audit entries made before ADR 0015

    table = models.ForeignKey(RiskBandTable, on_delete=models.CASCADE, related_name="bands")
    order = models.PositiveSmallIntegerField(default=0)
    min_score = models.DecimalField(max_digits=12, decimal_places=4)
    max_score = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    level = models.CharField(max_length=10, choices=RiskLevel.choices)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        db_table = "risk_riskband"  # the risk app's table (ADR 0015)
        ordering = ["table", "order"]

    def __str__(self) -> str:
        return f"[{self.min_score}, {self.max_score or '∞'}) {self.level}"


class SubstanceCategory(models.Model):
    """GB 18218-2018 表2 category symbol(s) held for a 表1 substance, used for β (表4) when the caller
    gives none. Only cited entries; `verified` says whether the entry was checked against its source."""

    former_labels = ("risk.substancecategory",)  # in audit entries made before ADR 0015

    table1_no = models.PositiveSmallIntegerField(_("GB 18218 table 1 no."), unique=True)
    name = models.CharField(_("name"), max_length=200)
    cas = models.CharField("CAS", max_length=20, blank=True)
    categories = models.JSONField(_("categories"), default=list)  # e.g. ["W2"]
    source = models.TextField(_("source"))
    verified = models.BooleanField(_("verified"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        db_table = "risk_substancecategory"  # the risk app's table (ADR 0015)
        ordering = ["table1_no"]

    def __str__(self) -> str:
        return f"{self.name}: {', '.join(self.categories)}"


class RiskMapRule(models.Model):
    """How the regional four-colour map colours a region from its enterprises' levels (maps.py).

    With n = enterprises in the region with an assessed level: red when red ≥ red_share % of n; else
    orange when red + orange ≥ orange_share %; else yellow when red + orange + yellow ≥ yellow_share %;
    else blue; no colour when n = 0. Shares vary by province and no national standard fixes them, so
    a rule is versioned data like the band tables: a change is a new version (services.set_map_rule,
    audited); with none in the database the shipped default of data/risk_map_rule.json applies."""

    former_labels = ("risk.riskmaprule",)  # in audit entries made before ADR 0015

    region_code = models.CharField(_("province"), max_length=12, blank=True, default="")
    version = models.PositiveIntegerField(_("version"))
    red_share = models.DecimalField(_("red share (%)"), max_digits=6, decimal_places=2)
    orange_share = models.DecimalField(_("red and orange share (%)"), max_digits=6, decimal_places=2)
    yellow_share = models.DecimalField(_("red, orange and yellow share (%)"), max_digits=6, decimal_places=2)
    source = models.TextField(_("source"))
    verified = models.BooleanField(_("verified"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    supersedes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supersedes"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "risk_riskmaprule"  # the risk app's table (ADR 0015)
        ordering = ["region_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "version"], name="one_map_rule_version"),
            models.UniqueConstraint(
                fields=["region_code"], condition=Q(active=True), name="one_active_map_rule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or '默认'}（第{self.version}版）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"active"}:
            raise ValueError("a map rule version is never edited in place; create a new version")
        super().save(*args, **kwargs)
