from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentStatus(models.TextChoices):
    """draft (subjects and period chosen) → computed (scores stored; recomputed while not published) → published."""

    DRAFT = "draft", _("Draft (assessment)")
    COMPUTED = "computed", _("Computed (assessment)")
    PUBLISHED = "published", _("Published (assessment)")


class SubjectLevel(models.TextChoices):
    """Who is scored: the regions one level below the issuing office's region (the counties of a city, the
    townships of a county), or the departments of the office's own level (市直有关部门)."""

    CHILD_REGIONS = "child_regions", _("Regions below")
    DEPARTMENTS = "departments", _("Departments of this level")


class AssessmentAction(models.TextChoices):
    COMPUTE = "compute", _("Compute scores")
    PUBLISH = "publish", _("Publish (assessment)")


class FlagColour(models.TextChoices):
    RED = "red", _("Red flag (流动红旗)")
    YELLOW = "yellow", _("Yellow flag (流动黄旗)")


class FlagBasis(models.TextChoices):
    """A flag follows from an assessment's ranking by the scheme's rule, or from a decision with reasons."""

    RANKING = "ranking", _("From the assessment ranking")
    DECISION = "decision", _("By decision")


class HolderKind(models.TextChoices):
    REGION = "region", _("Region")
    DEPARTMENT = "department", _("Department")
    ENTERPRISE = "enterprise", _("Enterprise")
