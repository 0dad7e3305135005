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
from django.utils.translation import pgettext_lazy

from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import ControlTier, FactorKind, MeasureKind, Method, PointKind, RiskLevel, UnitType


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


class RiskMapRule(models.Model):
    """How the regional four-colour map colours a region from its enterprises' levels (maps.py).

    With n = enterprises in the region with an assessed level: red when red ≥ red_share % of n; else
    orange when red + orange ≥ orange_share %; else yellow when red + orange + yellow ≥ yellow_share %;
    else blue; no colour when n = 0. Shares vary by province and no national standard fixes them, so
    a rule is versioned data like the band tables: a change is a new version (services.set_map_rule,
    audited); with none in the database the shipped default of data/risk_map_rule.json applies."""

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
        ordering = ["region_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["region_code", "version"], name="one_map_rule_version"),
            models.UniqueConstraint(
                fields=["region_code"], condition=Q(active=True), name="one_active_map_rule"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_code or 'default'} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None and set(kwargs.get("update_fields") or ()) != {"active"}:
            raise ValueError("a map rule version is never edited in place; create a new version")
        super().save(*args, **kwargs)


# --- risk points (风险点) and their assessments -----------------------------------------------------

# Who may change an enterprise's risk points, assessments, measures, photos, installations and check
# schedules (within their scope): its own managers and the authorities above it. Grid workers see them
# read-only. (points.can_write reads this through scope.in_scope(..., CHANGE).)
RISK_WRITERS = roles_with(Perm.RISK_CHANGE)
# Who may upload site plans and place points on them: the enterprise's own managers only.
SITE_PLAN_EDITORS = roles_with(Perm.SITE_PLAN_CHANGE)


class RiskPoint(models.Model):
    """A place, installation or activity of one enterprise where risk is identified. Its current level
    is the level of its latest assessment (kept in `current_level` by points.assess, never edited)."""

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=RISK_WRITERS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="risk_points",
        verbose_name=_("enterprise"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices)
    location = models.CharField(_("location"), max_length=300, blank=True)
    factor_kinds = models.JSONField(_("hazard factor kinds"), default=list)  # FactorKind values
    accident_categories = models.ManyToManyField(
        "accidents.AccidentCategory", blank=True, related_name="+", verbose_name=_("possible accidents")
    )
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    current_level = models.CharField(
        _("current level"),
        max_length=10,
        choices=RiskLevel.choices,
        blank=True,
        db_index=True,
        editable=False,
    )
    # the latest assessment's "next assessment due" (points.assess keeps it; reassessment.py reminds)
    next_assessment_due = models.DateField(
        _("next assessment due"), null=True, blank=True, db_index=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region_code", "enterprise_id", "name"]
        indexes = [models.Index(fields=["supervising_department", "region_code"])]

    def __str__(self) -> str:
        return self.name

    def get_factor_kinds_display(self) -> str:
        return "、".join(str(FactorKind(k).label) for k in self.factor_kinds if k in FactorKind.values)


class RiskAssessment(models.Model):
    """One scored assessment of a risk point (history: never edited). Score and level come from
    assessment.assess with the band table version recorded in `band_table`."""

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="assessments")
    method = models.CharField(_("method"), max_length=3, choices=Method.choices)
    factors = models.JSONField(_("factor values"), default=dict)  # {"l": "3", "e": "6", "c": "15"}
    score = models.DecimalField(_("score"), max_digits=16, decimal_places=4)
    level = models.CharField(_("level"), max_length=10, choices=RiskLevel.choices)
    band_label = models.CharField(max_length=100, blank=True)
    band_table = models.ForeignKey(RiskBandTable, on_delete=models.PROTECT, related_name="+")
    residual = models.BooleanField(_("residual (after measures)"), default=False)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessor_label = models.CharField(_("assessor"), max_length=150, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), default=timezone.now)
    next_due = models.DateField(_("next assessment due"), null=True, blank=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.point} {self.method} {self.score} {self.level}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("an assessment is history: make a new one instead of editing it")
        super().save(*args, **kwargs)


class ControlMeasure(models.Model):
    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    tier = models.CharField(_("control tier"), max_length=20, choices=ControlTier.choices)
    description = models.TextField(_("description"))
    responsible_person = models.CharField(_("responsible person"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["tier", "kind", "id"]

    def __str__(self) -> str:
        return self.description[:50]


def _point_photo_path(instance, filename):
    return f"risk/points/{instance.point_id}/{filename}"


class RiskPointPhoto(models.Model):
    """A photo of the place, installation or activity (checked by content like every upload)."""

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_point_photo_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def region_code(self) -> str:  # audit entries of a photo carry its point's region
        return self.point.region_code


# --- major hazard installations (GB 18218-2018) ---------------------------------------------------


class MajorHazardInstallation(models.Model):
    """A production or storage unit with its substances and the stored GB 18218 computation
    (installations.save_installation recomputes it on every change, so the grade is always explained)."""

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=RISK_WRITERS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="major_hazard_installations",
        verbose_name=_("enterprise"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=200)
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices)
    exposed_persons = models.PositiveIntegerField(_("exposed persons"), null=True, blank=True)
    # the stored computation: S and R cut (not rounded) to 4 places, exact values as fractions in `computation`
    s = models.DecimalField("S", max_digits=16, decimal_places=4, default=0)
    is_major = models.BooleanField(_("major hazard installation"), default=False)
    alpha = models.DecimalField("α", max_digits=6, decimal_places=2, null=True, blank=True)
    r = models.DecimalField("R", max_digits=16, decimal_places=4, null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("grade"), null=True, blank=True)
    computation = models.JSONField(_("computation"), default=dict)
    principal_name = models.CharField(_("principal person"), max_length=50, blank=True)
    principal_phone = models.CharField(_("principal phone"), max_length=20, blank=True)
    technical_name = models.CharField(_("technical person"), max_length=50, blank=True)
    technical_phone = models.CharField(_("technical phone"), max_length=20, blank=True)
    operational_name = models.CharField(_("operational person"), max_length=50, blank=True)
    operational_phone = models.CharField(_("operational phone"), max_length=20, blank=True)
    required_sensors = models.JSONField(_("required sensors"), default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region_code", "enterprise_id", "name"]

    def __str__(self) -> str:
        return self.name


class InstallationSubstance(models.Model):
    scope = ScopeSpec(
        region="installation__region_code",
        department="installation__supervising_department_id",
        enterprise="installation__enterprise_id",
        change=RISK_WRITERS,
    )

    installation = models.ForeignKey(
        MajorHazardInstallation, on_delete=models.CASCADE, related_name="substances"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("name"), max_length=200, blank=True)
    cas = models.CharField("CAS", max_length=20, blank=True)
    quantity_t = models.DecimalField(_("quantity (t)"), max_digits=16, decimal_places=6)
    categories = models.JSONField(_("categories"), default=list)  # 表2 symbols given by the user

    class Meta:
        ordering = ["installation", "order"]

    def __str__(self) -> str:
        return f"{self.name or self.cas} {self.quantity_t} t"


# --- control (self-check) schedules and their tasks (tasks.py) -------------------------------------


class CheckFrequency(models.TextChoices):
    SHIFT = "shift", _("Every shift")
    DAY = "day", _("Daily")
    WEEK = "week", _("Weekly")
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE_NORMAL = "done_normal", _("Done: all normal")
    DONE_HAZARD = "done_hazard", _("Done: hazard reported")
    MISSED = "missed", _("Missed")


class CheckSchedule(models.Model):
    """A risk point checked by one job post at one frequency; tasks.generate makes its tasks."""

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=RISK_WRITERS,
    )

    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("frequency"), max_length=10, choices=CheckFrequency.choices)
    post = models.CharField(_("post"), max_length=100)
    content = models.TextField(_("check content"))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["point", "frequency", "post", "id"]

    def __str__(self) -> str:
        return f"{self.point} · {self.get_frequency_display()} · {self.post}"


class CheckTask(models.Model):
    """One period's check of a schedule. Open until done ("all normal" or a reported hazard); an open
    task whose period has ended becomes missed (tasks.mark_missed) and is counted."""

    scope = ScopeSpec(
        region="region_code", department="supervising_department_id", enterprise="enterprise_id"
    )

    schedule = models.ForeignKey(CheckSchedule, on_delete=models.CASCADE, related_name="tasks")
    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="check_tasks")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise")
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    period_start = models.DateTimeField(_("period start"))
    period_end = models.DateTimeField(_("period end"))  # exclusive
    status = models.CharField(
        _("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN, db_index=True
    )
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    missed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["period_start", "point_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_start"], name="one_task_per_period"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "period_start"]),
            models.Index(fields=["region_code", "status", "period_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period_start:%Y-%m-%d %H:%M}"


class CheckTaskEvent(WorkflowEvent):
    """A check task's step (done normal, done with a hazard, missed: risk/workflow.py)."""

    scope = ScopeSpec(
        region="task__region_code",
        department="task__supervising_department_id",
        enterprise="task__enterprise_id",
    )

    task = models.ForeignKey(CheckTask, on_delete=models.CASCADE, related_name="events")

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


# --- site plans (厂区风险四色分布图, site_plans.py) --------------------------------------------------


def site_plan_path(instance, filename) -> str:
    """MEDIA_ROOT/site-plans/<enterprise id>/<random>.<ext> (ASCII; the original name is kept in `name`)."""
    import uuid

    ext = "png" if instance.content_type == "image/png" else "jpg"
    return f"site-plans/{instance.enterprise_id}/{uuid.uuid4().hex}.{ext}"


class SitePlan(models.Model):
    """An uploaded site plan image of one enterprise on which its risk points are placed."""

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=SITE_PLAN_EDITORS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="site_plans",
        verbose_name=_("enterprise"),
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    name = models.CharField(_("name"), max_length=100)
    image = models.FileField(_("image"), upload_to=site_plan_path, max_length=200)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["region_code", "enterprise_id", "name", "id"]

    def __str__(self) -> str:
        return self.name


class PointPlacement(models.Model):
    """A risk point's place on a site plan: x, y as fractions (0–1) of the image's width and height
    from its top left corner, so the marker stays put at any display size. A point is placed at most
    once per plan."""

    scope = ScopeSpec(
        region="plan__region_code",
        department="plan__supervising_department_id",
        enterprise="plan__enterprise_id",
        change=SITE_PLAN_EDITORS,
    )

    plan = models.ForeignKey(SitePlan, on_delete=models.CASCADE, related_name="placements")
    point = models.ForeignKey(RiskPoint, on_delete=models.CASCADE, related_name="placements")
    x = models.FloatField("x")
    y = models.FloatField("y")
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "point_id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "point"], name="one_place_per_plan"),
            models.CheckConstraint(
                condition=Q(x__gte=0, x__lte=1, y__gte=0, y__lte=1), name="placement_within_plan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point_id}@{self.plan_id} ({self.x:.3f}, {self.y:.3f})"

    @property
    def region_code(self) -> str:  # audit entries of a placement carry its plan's region
        return self.plan.region_code


# --- the enterprise's yearly risk report (安全生产风险报告, reports.py) --------------------------------


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("risk report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("risk report status", "Submitted")
    ACCEPTED = "accepted", pgettext_lazy("risk report status", "Accepted")
    RETURNED = "returned", pgettext_lazy("risk report status", "Returned")


class ReportAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("risk report action", "Prepared")
    SUBMIT = "submit", pgettext_lazy("risk report action", "Submitted")
    RESUBMIT = "resubmit", pgettext_lazy("risk report action", "Resubmitted")
    ACCEPT = "accept", pgettext_lazy("risk report action", "Accepted")
    RETURN = "return", pgettext_lazy("risk report action", "Returned")


class RiskReport(models.Model):
    """One enterprise's risk report for one year. The enterprise prepares it (statement fields) and
    submits it; at submission `snapshot` freezes what Anquan then held about the enterprise's risks
    (reports.build_snapshot). A supervisor accepts it or returns it with a reason; a returned report is
    resubmitted with a new snapshot. The status changes only through the transitions in reports.py."""

    scope = ScopeSpec(
        region="region_code", department="supervising_department_id", enterprise="enterprise_id"
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="risk_reports",
        verbose_name=_("enterprise"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, editable=False
    )
    # the enterprise's own statement
    principal_name = models.CharField(_("principal person"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    statement = models.TextField(_("main risks and control measures"), blank=True)
    # frozen at submission (reports.build_snapshot)
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "region_code", "enterprise_id"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_risk_report_per_year"),
        ]
        indexes = [models.Index(fields=["year", "status", "region_code"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}年安全生产风险报告"


class RiskReportEvent(WorkflowEvent):
    """One step of a report (who, when, from, to, comment): its history as the pages show it."""

    scope = ScopeSpec(
        region="report__region_code",
        department="report__supervising_department_id",
        enterprise="report__enterprise_id",
    )

    report = models.ForeignKey(RiskReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=ReportAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=ReportStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=ReportStatus.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"
