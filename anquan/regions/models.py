"""Administrative divisions and grids.

Codes: GB/T 2260 six digits for province, city and county; the statistical 9-digit (township)
and 12-digit (village) codes below. `prefix` is the part of the code that all descendants share
("36", "3604", "360402", "360402001", ...), so a subtree is `code LIKE prefix%` on an index.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec

from .choices import GridLevel, RegionLevel


def code_prefix(code: str, level: int) -> str:
    """The significant prefix of a region code: what every descendant's code starts with."""
    if level == RegionLevel.PROVINCE:
        return code[:2]
    if level == RegionLevel.CITY:
        return code[:4]
    return code


def ancestor_codes(code: str, level: int) -> list[str]:
    """Codes of the province, city, county and township above a region of `level`."""
    candidates = [code[:2] + "0000", code[:4] + "00", code[:6], code[:9]]
    return candidates[: level - 1]


class Region(models.Model):
    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    prefix = models.CharField(max_length=12, db_index=True)
    full_name = models.CharField(_("full name"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.prefix = code_prefix(self.code, self.level)
        super().save(*args, **kwargs)

    def contains(self, code: str) -> bool:
        return bool(code) and code.startswith(self.prefix)

    def subtree(self):
        return Region.objects.filter(code__startswith=self.prefix)

    def prefix_at(self, level: int) -> str:
        """The prefix of this region's ancestor at `level` (its own when it sits at or above that level)."""
        if self.level <= level:
            return self.prefix
        return code_prefix(ancestor_codes(self.code, self.level)[level - 1], level)

    def above_codes(self) -> list[str]:
        """The codes of the regions above this one, province first."""
        return ancestor_codes(self.code, self.level)

    def ancestors(self) -> list["Region"]:
        """Province first; one query (ancestor codes follow from the code itself)."""
        return list(Region.objects.filter(code__in=ancestor_codes(self.code, self.level)).order_by("level"))

    @property
    def region_code(self) -> str:  # audit and scope treat a region as lying in itself
        return self.code


class Grid(models.Model):
    """网格: the smallest responsibility cell, inside a township or a village, or a responsibility unit inside an
    enterprise (网格单元, `level` enterprise with its `enterprise`: the enterprise's own users see those).
    Its head (网格长 / 网格单元负责人) is named with a phone, and may be an account; its workers are accounts."""

    scope = ScopeSpec(region="region_code", enterprise="enterprise_id")

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="grids", verbose_name=_("region")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    code = models.CharField(_("grid code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="grids", verbose_name=_("grid workers")
    )
    level = models.CharField(
        _("grid level"), max_length=12, choices=GridLevel.choices, default=GridLevel.TOWNSHIP, db_index=True
    )
    enterprise = models.ForeignKey(  # the enterprise of an enterprise-internal unit (string: a higher layer)
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="internal_grids",
        verbose_name=_("enterprise"),
    )
    head_name = models.CharField(_("grid head"), max_length=50, blank=True)
    head_phone = models.CharField(_("head's phone"), max_length=20, blank=True)
    head_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_grids",
        verbose_name=_("head's account"),
    )
    scope_note = models.CharField(_("area or posts covered"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("grid")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        if self.level == GridLevel.TOWNSHIP and self.region.level == RegionLevel.VILLAGE:
            self.level = GridLevel.VILLAGE  # made without a level (the region page): a village's grid
        super().save(*args, **kwargs)


def counts_by_child(queryset, region: Region, field: str = "region_code") -> list[tuple[Region, int]]:
    """(child region, number of rows of `queryset` inside it) for each child, in one grouped query."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    children = list(Region.objects.filter(parent=region))
    if not children:
        return []
    length = len(children[0].prefix)  # siblings share a level, so their prefixes share a length
    grouped = (
        queryset.order_by()
        .annotate(_prefix=Substr(field, 1, length))
        .values("_prefix")
        .annotate(_n=Count("pk"))
    )
    counts = {row["_prefix"]: row["_n"] for row in grouped}
    return [(child, counts.get(child.prefix, 0)) for child in children]
