"""Rescue forces (issue #17 item 6): rescue teams with their members, supply depots with their stock rows and
every stock movement, and the 24-hour duty rosters. A team, depot or roster belongs to an owner unit: an
enterprise, or a government department of a region; its region code is the owner's (the enterprise's region, or
the department's region), so it is scoped by region and an enterprise's users see their own. Government users read
the forces of their whole county and those registered above it; they change only their own area's (ADR 0057)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.regions.choices import RegionLevel

from .choices import Direction, Readiness, Speciality, StockCategory, TeamKind

# who may change rescue forces: the offices, the department supervisors and the enterprise's own managers
WRITERS = roles_with(Perm.RESCUE_CHANGE)
# read across the county by its townships and grid workers, and from the city and province above (ADR 0057): an
# officer dispatching help needs the county's forces, not only their own township's
OWNED = ScopeSpec(
    region="region_code", enterprise="enterprise_id", change=WRITERS, shared_at=RegionLevel.COUNTY
)


class Owned(models.Model):
    """The owner unit: an enterprise, or a department of a region (then `enterprise` is empty)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("enterprise"),
    )
    department = models.ForeignKey(
        "orgs.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("department"),
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.region_code = self.region.code
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def owner_label(self) -> str:
        if self.enterprise is not None:
            return self.enterprise.name
        return f"{self.region.name}{self.department.name if self.department is not None else ''}"


class Located(Owned):
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("24-hour contact phone"), max_length=20)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class RescueTeam(Located):
    scope = OWNED

    name = models.CharField(_("team name"), max_length=100)
    kind = models.CharField(_("team kind"), max_length=20, choices=TeamKind.choices)
    speciality = models.CharField(_("speciality"), max_length=30, choices=Speciality.choices)
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    equipment = models.TextField(_("main equipment (one per line)"), blank=True)
    readiness = models.CharField(
        _("readiness"), max_length=20, choices=Readiness.choices, default=Readiness.READY
    )

    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("rescue team")
        indexes = [models.Index(fields=["latitude", "longitude"], name="rescueteam_location")]

    def __str__(self) -> str:
        return self.name

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]


class TeamMember(models.Model):
    scope = OWNED.via("team", change=WRITERS)

    team = models.ForeignKey(RescueTeam, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("member name"), max_length=50)
    role = models.CharField(_("role in the team"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class SupplyDepot(Located):
    scope = OWNED

    name = models.CharField(_("depot name"), max_length=100)

    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("supply depot")
        indexes = [models.Index(fields=["latitude", "longitude"], name="supplydepot_location")]

    def __str__(self) -> str:
        return self.name


class StockItem(models.Model):
    scope = OWNED.via("depot", change=WRITERS)

    depot = models.ForeignKey(SupplyDepot, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("item name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=StockCategory.choices)
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, default=Decimal(0), editable=False
    )
    unit = models.CharField(_("unit"), max_length=10)
    minimum_quantity = models.DecimalField(
        _("minimum quantity"), max_digits=12, decimal_places=2, default=Decimal(0)
    )
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)

    class Meta:
        ordering = ["depot_id", "category", "name", "id"]
        verbose_name = _("stock item")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="stockitem_quantity_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def below_minimum(self) -> bool:
        return self.quantity < self.minimum_quantity

    def expired_on(self, day: object) -> bool:
        return self.expires_on is not None and self.expires_on < day  # type: ignore[operator]


class StockMovement(models.Model):
    """One stock in or out, with its reason and the balance after it (never negative)."""

    scope = OWNED.via("item__depot")

    item = models.ForeignKey(StockItem, on_delete=models.CASCADE, related_name="movements")
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    balance = models.DecimalField(_("balance after"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("reason"), max_length=200)
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.direction} {self.quantity}"


class DutyRoster(Owned):
    """Who is on 24-hour duty (值班) for one unit on one day: the unit is an enterprise, a rescue team, or a
    department of a region (《生产安全事故应急条例》第十四条)."""

    scope = OWNED

    team = models.ForeignKey(
        RescueTeam,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rosters",
        verbose_name=_("rescue team"),
    )
    day = models.DateField(_("duty day"))
    leader_name = models.CharField(_("leader on duty"), max_length=50)
    leader_phone = models.CharField(_("leader's phone"), max_length=20, blank=True)
    person_name = models.CharField(_("person on duty"), max_length=50)
    phone = models.CharField(_("duty phone"), max_length=20)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["day", "region_code", "id"]
        verbose_name = _("duty roster")
        indexes = [models.Index(fields=["day", "region_code"], name="dutyroster_day_region")]

    def __str__(self) -> str:
        return f"{self.day} {self.person_name}"

    @property
    def unit_label(self) -> str:
        return self.team.name if self.team is not None else self.owner_label
