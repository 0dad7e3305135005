"""The hazard ledger (隐患台账): hazards, their events, attachments, supervision listings,
and the judgement standards that make a hazard major."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department, Industry
from anquan.regions.models import Region

from .choices import (
    OPEN_STATUSES,
    STATUS_COLOURS,
    Action,
    AttachmentStage,
    Level,
    ListingLevel,
    Source,
    Status,
)


class JudgementStandard(models.Model):
    """An official list defining major hazards for a sector, as versioned data with its citation."""

    code = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    title = models.CharField(_("title"), max_length=200)
    doc_no = models.CharField(_("document number"), max_length=100)
    effective = models.DateField(null=True, blank=True)
    verified = models.CharField(max_length=20)  # "yes" | "partial" | "no", as marked in shared/reference
    note = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    industries = models.ManyToManyField(Industry, blank=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="one_standard_version")]
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return f"{self.title}（{self.doc_no}）"


class JudgementItem(models.Model):
    standard = models.ForeignKey(JudgementStandard, on_delete=models.CASCADE, related_name="items")
    clause = models.CharField(_("clause"), max_length=40)  # e.g. "第3项", "第六条第（二）项"
    applies_to = models.CharField(_("applies to"), max_length=100, blank=True)
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["standard", "order"]

    def __str__(self) -> str:
        return f"{self.standard.doc_no} {self.clause}"

    @property
    def citation(self) -> str:
        return f"《{self.standard.title}》（{self.standard.doc_no}）{self.clause}"


class HazardNumberCounter(models.Model):
    """The last business number given in one county (or the city or province a hazard lies in directly) and
    year: its row is locked by the report that takes the next one (numbering.py), so numbers are never repeated
    and, the counter rolling back with a refused report, never skipped."""

    county_code = models.CharField(max_length=12)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county_code", "year"], name="one_hazard_counter_per_county_year")
        ]

    def __str__(self) -> str:
        return f"{self.county_code} {self.year}: {self.last}"


class Hazard(models.Model):
    scope = ScopeSpec(
        region="region_code", department="supervising_department_id", enterprise="enterprise_id"
    )

    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
        verbose_name=_("enterprise"),
    )
    # the business number (业务编号), e.g. 濂溪隐〔2026〕0401: county short name + 隐 + year + 4 digits (numbering.py)
    number = models.CharField(  # noqa: DJ001 (null until numbered: unique, and "" would collide)
        _("hazard number"), max_length=40, unique=True, null=True, editable=False
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    address = models.CharField(_("place"), max_length=300, blank=True)
    industry = models.ForeignKey(
        Industry,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("industry"),
    )
    supervising_department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("supervising department"),
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.GENERAL)
    judgement_item = models.ForeignKey(
        JudgementItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("judgement item"),
    )
    judgement_note = models.CharField(_("judgement basis"), max_length=300, blank=True)
    description = models.TextField(_("description"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    found_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("found by"),
    )
    found_by_name = models.CharField(_("found by"), max_length=100, blank=True)
    found_department = models.ForeignKey(  # the inspecting department, which reviews the rectification
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    found_at = models.DateTimeField(_("found at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REPORTED, db_index=True
    )

    # rectification (整改): the five assurances — measures, responsible person, funds, deadline, contingency plan
    responsible_party = models.CharField(_("responsible party"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("responsible person (account)"),
    )
    measures = models.TextField(_("measures"), blank=True)
    funds_yuan = models.DecimalField(
        _("funds (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    contingency_plan = models.TextField(_("contingency plan"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_basis = models.CharField(max_length=60, blank=True)  # e.g. "2026-09-28起10个工作日"
    extension_requested_until = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    # the level of the supervision listing in force (挂牌督办), "" when none: kept by the `list` and `delist`
    # transitions so that their preconditions are part of the compare-and-set (hazards/workflow.py)
    listed_level = models.CharField(max_length=10, choices=ListingLevel.choices, blank=True, editable=False)

    evidence = models.TextField(_("rectification evidence"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    acceptance_opinion = models.TextField(_("acceptance opinion"), blank=True)
    # 催办: how often the hazard's current step was urged, and when last (actions.transition, `urge`)
    urge_count = models.PositiveIntegerField(_("times urged"), default=0)
    urged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False, db_index=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    risk_point = models.ForeignKey(
        "riskpoints.RiskPoint", null=True, blank=True, on_delete=models.SET_NULL, related_name="hazards"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["status", "region_code"]),
            models.Index(fields=["level", "status"]),
            models.Index(fields=["deadline", "status"]),
            # the ledger's default order and its common narrowings read a page, not the scope (issue #18,
            # docs/adr/0049-capped-counts-and-keyset-pages.md: the plans behind each); the region code last, so
            # that a region's range is tested in the index (no table read for another region's rows) and a
            # capped count is an index-only scan
            models.Index(fields=["found_at", "id", "region_code"], name="hazard_found"),
            models.Index(
                fields=["supervising_department", "found_at", "id", "region_code"],
                name="hazard_department_found",
            ),
            models.Index(fields=["status", "found_at", "id", "region_code"], name="hazard_status_found"),
            models.Index(fields=["level", "found_at", "id", "region_code"], name="hazard_level_found"),
            # overdue hazards are old: read from the newest, 35,000 of a province's rows pass before 50 overdue
            models.Index(fields=["overdue", "found_at", "id", "region_code"], name="hazard_overdue_found"),
            models.Index(fields=["deadline", "id", "region_code"], name="hazard_deadline"),
            # a search's enterprise arm in a county: the hazards of the province's enterprises named like the term,
            # their region tested in the index (2,500 enterprises in the province, a county's 569 hazards: 91 → 24 ms)
            models.Index(fields=["enterprise", "region_code"], name="hazard_enterprise_region"),
            # the to-do centre's pending extension requests (core.todo.counted reads only the rows some to-do counts:
            # without it, all of a province's rectifying hazards were read to find the few asking for more time)
            models.Index(
                fields=["region_code"],
                condition=models.Q(extension_requested_until__isnull=False),
                name="hazard_extension_requested",
            ),
            # the to-do centre's hazards to rectify, by their responsible user: most hazards have none, and SQLite's
            # statistics then judged the plain index useless (every NULL counted as one value) and scanned a
            # province's 1,000,000 rows for the to-do count (520 ms) instead of one lookup per to-do kind (0.4 ms)
            models.Index(
                fields=["responsible_user", "status"],
                condition=models.Q(responsible_user__isnull=False),
                name="hazard_responsible_status",
            ),
        ]
        verbose_name = _("hazard")

    def __str__(self) -> str:
        return f"隐患{self.label} {self.description[:30]}"

    @property
    def label(self) -> str:
        """How people name the hazard: its business number (#id before it has one)."""
        return self.number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def active_listing(self):
        return next((x for x in self.listings.all() if x.delisted_at is None), None)

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[self.status]

    @property
    def place(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.address


class HazardEvent(WorkflowEvent):
    """One step in a hazard's life (who, when, from, to, comment, attachments): the hazard workflow's event
    row (anquan.core.workflow); the choices give the history its labels (`get_action_display`)."""

    scope = ScopeSpec(
        region="hazard__region_code",
        department="hazard__supervising_department_id",
        enterprise="hazard__enterprise_id",
    )

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=12, blank=True, choices=Status.choices)
    to_status = models.CharField(max_length=12, blank=True, choices=Status.choices)

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.action}"


def _upload_to(instance, filename):
    return f"hazards/{instance.hazard_id}/{filename}"


class Attachment(UploadedFile):
    scope = ScopeSpec(
        region="hazard__region_code",
        department="hazard__supervising_department_id",
        enterprise="hazard__enterprise_id",
    )

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        HazardEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    stage = models.CharField(max_length=10, choices=AttachmentStage.choices)
    file = models.FileField(upload_to=_upload_to)

    class Meta(UploadedFile.Meta):
        pass

    @property
    def region_code(self) -> str:  # audit entries of an attachment carry its hazard's region
        return self.hazard.region_code


class Listing(models.Model):
    """挂牌督办: a government level formally supervises a major hazard until it is fixed."""

    scope = ScopeSpec(
        region="hazard__region_code",
        department="hazard__supervising_department_id",
        enterprise="hazard__enterprise_id",
    )

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="listings")
    level = models.CharField(_("listing level"), max_length=10, choices=ListingLevel.choices)
    authority = models.CharField(_("listing authority"), max_length=100)
    document_no = models.CharField(_("document number"), max_length=100)
    deadline = models.DateField(_("deadline"))
    report_every_days = models.PositiveSmallIntegerField(_("progress report every (days)"), default=30)
    listed_at = models.DateTimeField()
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    delisted_at = models.DateTimeField(null=True, blank=True)
    delisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delist_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-listed_at"]

    def __str__(self) -> str:
        return f"{self.authority} {self.document_no}"


class ProgressReport(models.Model):
    scope = ScopeSpec(
        region="listing__hazard__region_code",
        department="listing__hazard__supervising_department_id",
        enterprise="listing__hazard__enterprise_id",
    )

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="reports")
    text = models.TextField()
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["reported_at"]

    def __str__(self) -> str:
        return f"{self.listing_id} {self.reported_at:%Y-%m-%d}"


ROLLUP_KEY = ("region_code", "month", "industry_id", "department_id", "level", "source", "status", "overdue")


class RollupCell(models.Model):
    """One cell of the hazard statistics' roll-up (ADR 0051): how many hazards share a region code, local month of
    finding, industry, supervising department, level, source, status and overdue flag, and of those the ones with a
    closing time and the sum of their days to close (in milliseconds). Derived data kept by database triggers on
    the hazard table in the write's own transaction (rollup.py); `anquan rebuild-hazard-rollups` recounts it.
    No industry or department is 0 (a key column cannot be NULL in a unique key that upserts match)."""

    scope = ScopeSpec(region="region_code", department="department_id")

    region_code = models.CharField(max_length=12)
    month = models.DateField()  # the first day of the month found_at falls in (settings.TIME_ZONE)
    industry_id = models.IntegerField()
    department_id = models.IntegerField()
    level = models.CharField(max_length=10)
    source = models.CharField(max_length=20)
    status = models.CharField(max_length=12)
    overdue = models.BooleanField()
    n = models.BigIntegerField(default=0)
    timed = models.BigIntegerField(default=0)  # hazards of the cell with closed_at set
    close_ms = models.BigIntegerField(default=0)  # the sum of their closed_at − found_at

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m} {self.status}: {self.n}"


class HazardRollup(RollupCell):
    """Cells keyed by the hazard's own region code (township or village): county, township and finer views."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=ROLLUP_KEY, name="one_hazard_rollup_cell")]


class HazardCountyRollup(RollupCell):
    """The same cells keyed by the county's code (the hazard's region code cut to 6 digits), ~50× fewer at
    province scale: province and city views, and a county's own figures not grouped by township (ADR 0051)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=ROLLUP_KEY, name="one_hazard_county_rollup_cell")]
