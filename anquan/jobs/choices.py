"""What a job is (its kind) and where it stands (status, phase)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    ENTERPRISE_IMPORT = "enterprise_import", _("Enterprise import")
    HAZARD_IMPORT = "hazard_import", _("Self-check ledger import")
    BULLETIN = "bulletin", _("Bulletin")
    HAZARD_EXPORT = "hazard_export", _("Hazard ledger export")
    ENTERPRISE_EXPORT = "enterprise_export", _("Enterprise list export")
    VENUE_IMPORT = "venue_import", _("Small venue import")
    VENUE_LABELS = "venue_labels", _("Small venue QR label sheet")
    ACCIDENT_EXPORT = "accident_export", _("Accident register export")
    RISK_POINT_EXPORT = "risk_point_export", _("Risk point list export")
    PERSONNEL_IMPORT = "personnel_import", _("Key-post personnel import")


IMPORTS = (JobKind.ENTERPRISE_IMPORT, JobKind.HAZARD_IMPORT, JobKind.VENUE_IMPORT, JobKind.PERSONNEL_IMPORT)
# (kind, mode) of the imports that check every row and then write, each pass a phase of the progress bar
TWO_PASSES = {(JobKind.HAZARD_IMPORT, "all_or_nothing"), (JobKind.PERSONNEL_IMPORT, "import")}
EXPORTS = (
    JobKind.HAZARD_EXPORT,
    JobKind.ENTERPRISE_EXPORT,
    JobKind.VENUE_LABELS,
    JobKind.ACCIDENT_EXPORT,
    JobKind.RISK_POINT_EXPORT,
)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class JobPhase(models.TextChoices):
    """What a running job is doing (an import checks every row first, then writes)."""

    CHECKING = "checking", _("Checking rows")
    WRITING = "writing", _("Importing")
    GENERATING = "generating", _("Generating")


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
