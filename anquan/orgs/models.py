"""Departments, industries, safety committees and the 三管三必须 table."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.regions.models import Region

from .choices import IndustryKind


class Department(models.Model):
    """A kind of government department with safety duties; each government level has its own office of it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    full_name = models.CharField(_("full name"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("department")

    def __str__(self) -> str:
        return self.name


class Industry(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=IndustryKind.choices)
    gb_section = models.CharField(_("GB/T 4754 section"), max_length=1, blank=True)
    high_risk = models.BooleanField(_("high-risk"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "order"]
        verbose_name = _("industry")

    def __str__(self) -> str:
        return self.name


class SafetyCommittee(models.Model):
    """安委会 of one government level, with its office (安委办) and member departments."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="committee")
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    office_name = models.CharField(_("office"), max_length=100)
    office_phone = models.CharField(_("office phone"), max_length=30, blank=True)
    members = models.ManyToManyField(Department, blank=True, verbose_name=_("member departments"))

    class Meta:
        ordering = ["region__code"]
        verbose_name = _("safety committee")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.region_code = self.region.code
        super().save(*args, **kwargs)


class IndustryDepartmentRule(models.Model):
    """三管三必须: in this region's subtree, this industry is supervised by this department.

    The most specific region wins, so a county can override the province's default.
    """

    # null region: the default everywhere (seeded by migration)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_code = models.CharField(max_length=12, blank=True, db_index=True, editable=False)
    industry = models.ForeignKey(
        Industry, on_delete=models.CASCADE, related_name="+", verbose_name=_("industry")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "industry"], name="one_rule_per_region_industry"),
            models.UniqueConstraint(
                fields=["industry"],
                condition=models.Q(region__isnull=True),
                name="one_default_rule_per_industry",
            ),
        ]
        ordering = ["region_code", "industry__order"]
        verbose_name = _("industry supervision rule")

    def __str__(self) -> str:
        return f"{self.region or '默认'} {self.industry} → {self.department}"

    def save(self, *args, **kwargs):
        self.region_code = self.region.code if self.region else ""
        super().save(*args, **kwargs)

    @property
    def prefix(self) -> str:
        return self.region.prefix if self.region else ""


def department_for_industry(industry: Industry | None, region_code: str, rules=None) -> Department | None:
    """三管三必须: the department that supervises `industry` at a place, most specific rule first.

    `rules` may carry the industry's rules already loaded (bulk callers)."""
    if industry is None:
        return None
    if rules is None:
        rules = IndustryDepartmentRule.objects.filter(industry=industry).select_related(
            "region", "department"
        )
    applicable = [rule for rule in rules if region_code.startswith(rule.prefix)]
    if not applicable:
        return None
    return max(applicable, key=lambda rule: len(rule.prefix)).department
