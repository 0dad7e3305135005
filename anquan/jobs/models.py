"""A long-running piece of work a user started (for now: Excel imports), run off the request.

See docs/adr/0002-background-imports.md: a thread started after commit for now; issue #10 brings a job queue.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.accounts.scope import ScopeSpec


class JobKind(models.TextChoices):
    ENTERPRISE_IMPORT = "enterprise_import", _("Enterprise import")
    HAZARD_IMPORT = "hazard_import", _("Self-check ledger import")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    CHECKING = "checking", _("Checking rows")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


ACTIVE = (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.WRITING)


class ImportJob(models.Model):
    scope = ScopeSpec(region="region_code", enterprise="owner__enterprise_id")

    kind = models.CharField(max_length=30, choices=JobKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs")
    region_code = models.CharField(max_length=12, db_index=True, default="")  # the owner's, for the audit log
    mode = models.CharField(max_length=20)
    file_name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)  # rows through the current pass
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [[row, column, message], …]
    file_error = models.TextField(blank=True)
    data = models.BinaryField(default=b"", blank=True)  # the uploaded file, emptied when the job ends
    created_ids = models.JSONField(default=list, blank=True)  # rows written so far (undone if the job fails)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # the heartbeat: saved after every batch
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}#{self.pk}（{self.file_name}）"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def bad_rows(self) -> list[int]:
        return sorted({row for row, _column, _message in self.errors})

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.active else 100
        passes = 2 if self.mode == "all_or_nothing" and self.kind == JobKind.HAZARD_IMPORT else 1
        done = self.processed + (self.total_rows if self.status == JobStatus.WRITING and passes == 2 else 0)
        return min(100, done * 100 // (self.total_rows * passes)) if self.active else 100
