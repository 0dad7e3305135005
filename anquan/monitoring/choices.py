"""The vocabulary of monitoring: what a point measures, the state it is in, the alarms it raises and their steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointKind(models.TextChoices):
    """What a monitoring point measures. The first seven are the `kind`s of an installation's required monitoring
    (anquan/majorhazards/data/required_sensors.json, Decree 40 art. 13); oxygen and video status complete them."""

    COMBUSTIBLE_GAS = "combustible_gas", _("Combustible gas")
    TOXIC_GAS = "toxic_gas", _("Toxic gas")
    OXYGEN = "oxygen", _("Oxygen")
    TEMPERATURE = "temperature", _("Temperature")
    PRESSURE = "pressure", _("Pressure")
    LIQUID_LEVEL = "liquid_level", _("Liquid level")
    FLOW = "flow", _("Flow")
    VIDEO = "video", _("Video channel status")


# the unit a kind is measured in unless the point says otherwise (GB/T 50493-2019 5.5.2 for the gases)
DEFAULT_UNITS = {
    PointKind.COMBUSTIBLE_GAS: "%LEL",
    PointKind.TOXIC_GAS: "ppm",
    PointKind.OXYGEN: "%VOL",
    PointKind.TEMPERATURE: "℃",
    PointKind.PRESSURE: "MPa",
    PointKind.LIQUID_LEVEL: "m",
    PointKind.FLOW: "m³/h",
    PointKind.VIDEO: "",
}


class PointState(models.TextChoices):
    NORMAL = "normal", _("Normal")
    ALARM = "alarm", _("In alarm")
    OFFLINE = "offline", _("Offline")
    MAINTENANCE = "maintenance", _("Under maintenance")


class Band(models.TextChoices):
    """Where the latest value lies against the point's thresholds ("" = between low and high)."""

    NORMAL = "", _("Normal range")
    LOW_LOW = "low_low", _("Low-low")
    LOW = "low", _("Low")
    HIGH = "high", _("High")
    HIGH_HIGH = "high_high", _("High-high")


class AlarmKind(models.TextChoices):
    HIGH = "high", _("High alarm")
    HIGH_HIGH = "high_high", _("High-high alarm")
    LOW = "low", _("Low alarm")
    LOW_LOW = "low_low", _("Low-low alarm")
    RATE = "rate", _("Rate of change")
    STUCK = "stuck", _("Stuck value")
    OFFLINE = "offline", _("No data (offline)")
    GAP = "gap", _("Data gaps")


# the signs of a wrapped, disconnected or tampered sensor (Criminal Law art. 134-1): kept as evidence
TAMPER_SIGNS = (AlarmKind.STUCK, AlarmKind.OFFLINE, AlarmKind.GAP)


class Level(models.TextChoices):
    """Warning levels, red the most severe (a provincial practice, README-wave2 §B4: defaults, unverified)."""

    RED = "red", _("Red")
    ORANGE = "orange", _("Orange")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")


LEVEL_ORDER = (Level.RED, Level.ORANGE, Level.YELLOW, Level.BLUE)


class AlarmStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPOSING = "disposing", _("Being disposed")
    RECOVERED = "recovered", _("Recovered")
    CLOSED = "closed", pgettext_lazy("alarm status", "Closed")


OPEN_ALARM_STATUSES = (
    AlarmStatus.RAISED,
    AlarmStatus.ACKNOWLEDGED,
    AlarmStatus.DISPOSING,
    AlarmStatus.RECOVERED,
)


class AlarmAction(models.TextChoices):
    RAISE = "raise", _("Raise")
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    DISPOSE = "dispose", _("Start disposal")
    RECOVER = "recover", _("Values back to normal")
    CLOSE = "close", _("Close")
    ESCALATE = "escalate", _("Escalate")


class MaintenanceStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("maintenance status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("maintenance status", "Cancelled")


class RejectReason(models.TextChoices):
    """Why an incoming reading was not stored (counted per gateway and day, never a crash)."""

    MALFORMED = "malformed", _("Malformed message")
    UNKNOWN_DEVICE = "unknown_device", _("Unknown device")
    NOT_NUMERIC = "not_numeric", _("Value not a number")
    TS_FUTURE = "ts_future", _("Time in the future")
    TS_PAST = "ts_past", _("Time too far in the past")
    DUPLICATE = "duplicate", _("Duplicate reading")
    RETIRED = "retired", _("Device retired")
