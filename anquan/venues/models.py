"""A small venue (九小场所) and its checks: the registry row with its fire-safety basics, its public code (the
QR code's address `/v/<public_code>/`) and the owner's PIN (hashed; docs/adr/0031-venue-public-code-and-pin.md),
and one row per check (a grid patrol's or the owner's monthly self-check)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Role
from anquan.core.scope import ScopeSpec
from anquan.regions.models import Grid, Region

from .choices import CheckSource, VenueKind, VenueStatus

# who may register and change venues (within their region): the committee offices, grid workers, administrators
EDITORS = frozenset(
    {
        Role.PROVINCE_OFFICE,
        Role.CITY_OFFICE,
        Role.COUNTY_OFFICE,
        Role.TOWNSHIP_OFFICE,
        Role.GRID_WORKER,
        Role.SYSADMIN,
    }
)


class SmallVenue(models.Model):
    scope = ScopeSpec(region="region_code", change=EDITORS)

    kind = models.CharField(_("kind"), max_length=24, choices=VenueKind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, editable=False)
    grid = models.ForeignKey(
        Grid, null=True, blank=True, on_delete=models.SET_NULL, related_name="venues", verbose_name=_("grid")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    owner_name = models.CharField(_("owner"), max_length=50)
    owner_phone = models.CharField(_("owner phone"), max_length=20)
    # fire-safety basics
    extinguishers = models.PositiveIntegerField(_("fire extinguishers"), default=0)
    exits = models.PositiveSmallIntegerField(_("exits"), default=1)
    ebike_indoor_charging = models.BooleanField(_("e-bikes charged indoors"), default=False)
    uses_gas = models.BooleanField(_("uses gas"), default=False)
    gas_alarm = models.BooleanField(_("gas leak alarm"), default=False)
    combustible_decoration = models.BooleanField(_("combustible decoration"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=VenueStatus.choices, default=VenueStatus.OPEN
    )
    # the QR code's address /v/<public_code>/: random, unguessable, URL-safe (services.new_public_code)
    public_code = models.CharField(_("public code"), max_length=16, unique=True, editable=False)
    pin_hash = models.CharField(
        max_length=128, editable=False
    )  # the owner's PIN, hashed (never stored plain)
    pin_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    pin_locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    last_checked_on = models.DateField(_("last checked on"), null=True, blank=True, editable=False)
    last_check_ok = models.BooleanField(_("last check passed"), null=True, blank=True, editable=False)
    last_check_source = models.CharField(
        max_length=12, choices=CheckSource.choices, blank=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("small venue")
        indexes = [
            # the list: a region range, narrowed by kind, grid or last check (bench/venues.py)
            models.Index(fields=["region_code", "name", "id"], name="venue_list"),
            models.Index(fields=["kind", "region_code"], name="venue_kind"),
            models.Index(fields=["grid", "region_code"], name="venue_grid"),
            models.Index(fields=["last_checked_on", "region_code"], name="venue_checked"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class VenueCheck(models.Model):
    """One check of a venue: a grid patrol's visit or the owner's monthly self-check (one per venue and month:
    a second one that month updates it, audited)."""

    scope = ScopeSpec(region="venue__region_code", change=EDITORS)

    venue = models.ForeignKey(SmallVenue, on_delete=models.CASCADE, related_name="checks")
    on = models.DateField(_("checked on"))
    month = models.CharField(max_length=7)  # "2026-12": a self-check's month
    source = models.CharField(_("source"), max_length=12, choices=CheckSource.choices)
    ok = models.BooleanField(_("passed"))
    # [{"code", "text", "ok"}] as the checklist read on the day (self-checks; a patrol may leave it empty)
    items = models.JSONField(default=list, blank=True)
    rule_version = models.ForeignKey(
        "rules.RuleVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("small venue check")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "month"],
                condition=models.Q(source="self_check"),
                name="one_self_check_per_venue_month",
            )
        ]
        indexes = [models.Index(fields=["venue", "-on"], name="venue_check_recent")]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.on} {self.source}"

    @property
    def failed_items(self) -> list[dict]:
        return [i for i in self.items if not i.get("ok")]
