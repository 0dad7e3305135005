"""Monitoring of major hazard installations (issue #16): gateways that push data, monitoring points with their
thresholds, the readings (raw, per minute, per hour), each point's live state, alarms with their steps, approved
maintenance windows, and the count of readings refused per gateway and day.

Where each part's life is written: ingestion `ingest/`, alarm evaluation `evaluation.py`, the alarm's steps
`workflow.py`, retention and roll-ups `retention.py`, the live board `views_board.py`."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anquan.core.models import UploadedFile
from anquan.core.permissions import Perm, roles_with
from anquan.core.scope import ScopeSpec
from anquan.core.workflow import WorkflowEvent

from .choices import (
    AlarmAction,
    AlarmKind,
    AlarmStatus,
    Band,
    Level,
    MaintenanceStatus,
    PointKind,
    PointState,
    RejectReason,
)

# who may register points and gateways, edit thresholds and request maintenance: the enterprise's managers and the
# authorities above it (as for risk points, ADR 0007)
CONFIGURERS = roles_with(Perm.MONITORING_CONFIGURE)


class Gateway(models.Model):
    """An enterprise's data gateway (数据采集网关): it pushes readings over MQTT (topic `anquan/v1/<code>/readings`)
    or HTTP (`POST /api/v1/monitoring/readings` with its key as the bearer token). Only the key's hash is stored;
    the key is shown once on issue."""

    scope = ScopeSpec(
        region="enterprise__region_code",
        department="enterprise__supervising_department_id",
        enterprise="enterprise_id",
        change=CONFIGURERS,
    )
    AUDIT_EXCLUDE = ("key_hash",)

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="gateways",
        verbose_name=_("enterprise"),
    )
    code = models.CharField(_("gateway code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_seen_at = models.DateTimeField(_("last data"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["enterprise_id", "code"]
        verbose_name = _("gateway")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()


class MonitoringPoint(models.Model):
    """A sensor or video channel at an installation (or elsewhere in an enterprise). `device_id` is what the gateway
    sends; it is unique within the enterprise. Thresholds default by kind from the rule data `monitoring.setpoints`
    (GB/T 50493-2019 5.5.2 for the gases) and are the point's own once saved. `state` is set by the system only."""

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=CONFIGURERS,
    )

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="monitoring_points",
        verbose_name=_("enterprise"),
    )
    installation = models.ForeignKey(
        "majorhazards.MajorHazardInstallation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="monitoring_points",
        verbose_name=_("major hazard installation"),
    )
    # copied from the enterprise and moved with it (enterprises.moves, hook current_records)
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    device_id = models.CharField(_("device id"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("installed at"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    low_low = models.FloatField(_("low-low threshold"), null=True, blank=True)
    low = models.FloatField(_("low threshold"), null=True, blank=True)
    high = models.FloatField(_("high threshold"), null=True, blank=True)
    high_high = models.FloatField(_("high-high threshold"), null=True, blank=True)
    expected_interval_s = models.PositiveIntegerField(_("expected interval (seconds)"), default=10)
    # the largest change per minute between two readings before a rate-of-change alarm (null: not watched)
    max_rate_per_minute = models.FloatField(_("maximum rate of change per minute"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=PointState.choices, default=PointState.NORMAL, editable=False
    )
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["region_code", "enterprise_id", "device_id"]
        verbose_name = _("monitoring point")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "device_id"], name="monitoring_point_device_unique")
        ]
        indexes = [models.Index(fields=["state", "region_code"], name="monitoring_point_state_region")]

    def __str__(self) -> str:
        return f"{self.name}（{self.device_id}）"


class PointLive(models.Model):
    """The hot row of a point, written by ingestion and alarm evaluation (never by a person, so not audited per
    write): the latest reading, the band it lies in and since when, and what the evaluation keeps between batches."""

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
    )

    point = models.OneToOneField(
        MonitoringPoint, on_delete=models.CASCADE, primary_key=True, related_name="live"
    )
    last_value = models.FloatField(null=True, blank=True)
    last_ts = models.DateTimeField(null=True, blank=True)
    band = models.CharField(max_length=10, choices=Band.choices, blank=True, default=Band.NORMAL)
    band_since = models.DateTimeField(null=True, blank=True)
    # identical readings: the value and when it was first seen (stuck-value detection)
    same_value = models.FloatField(null=True, blank=True)
    same_since = models.DateTimeField(null=True, blank=True)
    # the kinds of the point's open alarms whose condition evaluation watches ("high,stuck"): what recovers them
    alarm_kinds = models.CharField(max_length=60, blank=True, default="")
    # when the point counts as offline unless data arrives (last_ts + intervals × expected interval): the tick
    # reads this column instead of computing it per point. Not indexed, on purpose: an index on a column every
    # reading moves made each live-row update a non-HOT one (new index entries, bloat); the tick's scan of the
    # table is a few ms at 50,000 points (docs/adr/0044-monitoring-scale.md, "Later")
    offline_due = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.point_id} {self.last_value}@{self.last_ts}"


class Reading(models.Model):
    """A raw reading. On PostgreSQL the table is partitioned by day on `ts` (dropped whole after the retention,
    never less than 30 days: Decree 40 art. 13). No foreign-key constraint: ingestion checks the device itself, and
    the bulk COPY stays a COPY. The region is kept on every row (a country partitions by it)."""

    scope = ScopeSpec(
        region="region_code", department="point__supervising_department_id", enterprise="point__enterprise_id"
    )

    pk = models.CompositePrimaryKey("point_id", "ts")
    # no index of its own: the primary key leads with it
    point = models.ForeignKey(
        MonitoringPoint, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    ts = models.DateTimeField()
    value = models.FloatField()
    region_code = models.CharField(max_length=12)

    class Meta:
        ordering = ["point_id", "ts"]

    def __str__(self) -> str:
        return f"{self.point_id} {self.ts:%Y-%m-%d %H:%M:%S} {self.value}"


class ReadingRollup(models.Model):
    """Per-minute (`period`="minute") and per-hour ("hour") aggregates of the raw readings, kept for years; trend
    charts read these."""

    scope = ScopeSpec(
        region="region_code", department="point__supervising_department_id", enterprise="point__enterprise_id"
    )

    pk = models.CompositePrimaryKey("point_id", "period", "bucket")
    # no index of its own: the primary key leads with it
    point = models.ForeignKey(
        MonitoringPoint, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    period = models.CharField(max_length=6)  # "minute" | "hour"
    bucket = models.DateTimeField()
    count = models.PositiveIntegerField()
    min_value = models.FloatField()
    max_value = models.FloatField()
    sum_value = models.FloatField()
    region_code = models.CharField(max_length=12)

    class Meta:
        ordering = ["point_id", "period", "bucket"]

    def __str__(self) -> str:
        return f"{self.point_id} {self.period} {self.bucket:%Y-%m-%d %H:%M}"


class Alarm(models.Model):
    """An alarm of one point: threshold crossings, rate of change, a stuck value, silence, gaps. Its steps are the
    workflow in workflow.py; a raised alarm not acknowledged in time is escalated up the region chain
    (`escalated_to`), and may open a hazard (source `alarm`)."""

    scope = ScopeSpec(
        region="region_code",
        department="supervising_department_id",
        enterprise="enterprise_id",
        change=roles_with(Perm.ALARM_HANDLE),
    )

    point = models.ForeignKey(MonitoringPoint, on_delete=models.PROTECT, related_name="alarms")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.PROTECT, related_name="+")
    installation = models.ForeignKey(
        "majorhazards.MajorHazardInstallation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(max_length=12, db_index=True, editable=False)
    supervising_department = models.ForeignKey(
        "orgs.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("alarm kind"), max_length=20, choices=AlarmKind.choices)
    level = models.CharField(_("warning level"), max_length=10, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=AlarmStatus.choices, default=AlarmStatus.RAISED, editable=False
    )
    message = models.CharField(_("alarm description"), max_length=300)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    first_value = models.FloatField(_("value when raised"), null=True, blank=True)
    peak_value = models.FloatField(_("peak value"), null=True, blank=True)
    started_at = models.DateTimeField(_("began at"))  # the first reading of the condition
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True, editable=False)
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    disposal = models.TextField(_("disposal"), blank=True)
    # the region code of the office the alarm has been escalated to ("" = not escalated), and when
    escalated_to = models.CharField(_("escalated to"), max_length=12, blank=True, editable=False)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True, editable=False)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hazard"),
    )
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("alarm")
        indexes = [
            models.Index(fields=["status", "region_code"], name="alarm_status_region"),
            models.Index(fields=["raised_at", "region_code"], name="alarm_raised_region"),
            models.Index(fields=["point", "status"], name="alarm_point_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.point}"


class AlarmEvent(WorkflowEvent):
    scope = ScopeSpec(
        region="alarm__region_code",
        department="alarm__supervising_department_id",
        enterprise="alarm__enterprise_id",
    )

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30, choices=AlarmAction.choices)
    from_status = models.CharField(max_length=20, blank=True, choices=AlarmStatus.choices)
    to_status = models.CharField(max_length=20, blank=True, choices=AlarmStatus.choices)

    class Meta(WorkflowEvent.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.alarm_id} {self.action}"


class AlarmPhoto(UploadedFile):
    scope = ScopeSpec(
        region="alarm__region_code",
        department="alarm__supervising_department_id",
        enterprise="alarm__enterprise_id",
        change=roles_with(Perm.ALARM_HANDLE),
    )

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="alarms/%Y/%m/")

    class Meta(UploadedFile.Meta):
        pass


class MaintenanceWindow(models.Model):
    """A period in which a point raises no alarm (calibration, repair): requested by the enterprise, approved by its
    supervising department or office, audited. Readings are still stored."""

    scope = ScopeSpec(
        region="point__region_code",
        department="point__supervising_department_id",
        enterprise="point__enterprise_id",
        change=CONFIGURERS,
    )

    point = models.ForeignKey(MonitoringPoint, on_delete=models.CASCADE, related_name="maintenance_windows")
    starts_at = models.DateTimeField(_("maintenance from"))
    ends_at = models.DateTimeField(_("maintenance until"))
    reason = models.CharField(_("maintenance reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MaintenanceStatus.choices,
        default=MaintenanceStatus.REQUESTED,
        editable=False,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("maintenance window")

    def __str__(self) -> str:
        return f"{self.point} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%Y-%m-%d %H:%M}"


class IngestRejection(models.Model):
    """How many readings a gateway sent that were not stored, by day and reason, with the last example (cut to 300
    characters): shown to the enterprise and its supervisors, never a crash."""

    scope = ScopeSpec(
        region="gateway__enterprise__region_code",
        department="gateway__enterprise__supervising_department_id",
        enterprise="gateway__enterprise_id",
    )

    gateway = models.ForeignKey(
        Gateway, null=True, blank=True, on_delete=models.CASCADE, related_name="rejections"
    )
    day = models.DateField()
    reason = models.CharField(max_length=20, choices=RejectReason.choices)
    count = models.PositiveIntegerField(default=0)
    example = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "gateway_id", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["gateway", "day", "reason"], name="ingest_rejection_unique")
        ]

    def __str__(self) -> str:
        return f"{self.gateway_id} {self.day} {self.reason} {self.count}"


class RollupMark(models.Model):
    """Internal: how far the roll-ups have been computed (`name` "minute" or "hour": the end of the last closed
    bucket done), written only by anquan.monitoring.retention.rollup, never shown."""

    name = models.CharField(max_length=10, primary_key=True)
    until = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.until}"
