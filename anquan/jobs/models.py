"""Work a user started from a page or the API and that runs off the request: imports, bulletins, large exports.

One row per job, whatever its kind: who started it, its status (queued → running → done / failed, moved only
by `anquan.jobs.workflow`), how far it got, its result (a file, or the record it made) or its error in Chinese.
The work itself runs in the task queue's worker (`anquan worker`, docs/adr/0005-task-queue.md).
"""

import uuid

from django.conf import settings
from django.db import models

from anquan.core.scope import ScopeSpec

from .choices import ACTIVE, IMPORTS, TWO_PASSES, JobKind, JobPhase, JobStatus


def upload_path(instance: "Job", filename: str) -> str:
    """MEDIA_ROOT/jobs/uploads/<region>/<random>.xlsx: an import's file until its job ends."""
    return f"jobs/uploads/{instance.region_code or 'none'}/{uuid.uuid4().hex}.xlsx"


def result_path(instance: "Job", filename: str) -> str:
    """MEDIA_ROOT/jobs/<region>/<job id>.<extension> (ASCII; the download is named by `result_name`, which
    is Chinese)."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"jobs/{instance.region_code or 'none'}/{instance.pk}.{extension}"


class Job(models.Model):
    # a job is its owner's: the owner's region (and enterprise) scope it; the views narrow to owner=user
    scope = ScopeSpec(region="region_code", enterprise="owner__enterprise_id")

    kind = models.CharField(max_length=30, choices=JobKind.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs")
    region_code = models.CharField(max_length=12, db_index=True, default="")  # the owner's
    params = models.JSONField(default=dict, blank=True)  # what was asked: bulletin form, export filters
    mode = models.CharField(max_length=20, blank=True)  # imports: all_or_nothing / valid_only
    file_name = models.CharField(max_length=200, blank=True)  # imports: the uploaded file's name
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(max_length=12, choices=JobPhase.choices, blank=True)
    total_rows = models.PositiveIntegerField(default=0)  # steps of the current phase (rows, or stages)
    processed = models.PositiveIntegerField(default=0)  # steps done in the current phase
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # imports: [[row, column, message], …]
    file_error = models.TextField(blank=True)  # the job's error in Chinese (a refused file, a failure)
    upload = models.FileField(
        upload_to=upload_path, max_length=200, blank=True
    )  # imports: removed at the end
    created_ids = models.JSONField(default=list, blank=True)  # rows written so far (undone if the job fails)
    result = models.JSONField(default=dict, blank=True)  # e.g. {"bulletin": id}
    result_file = models.FileField(upload_to=result_path, max_length=200, blank=True)
    result_name = models.CharField(max_length=200, blank=True)  # the download's file name
    task_id = models.CharField(max_length=64, blank=True)  # the queue's task (django-tasks result id)
    worker = models.CharField(max_length=100, blank=True)  # host:pid of the worker running it
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)  # the heartbeat: saved at every step
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"])]

    def __str__(self) -> str:
        label = self.file_name or self.result_name
        return f"{self.get_kind_display()}#{self.pk}" + (f"（{label}）" if label else "")

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def is_import(self) -> bool:
        return self.kind in IMPORTS

    @property
    def bad_rows(self) -> list[int]:
        return sorted({row for row, _column, _message in self.errors})

    @property
    def stage_name(self) -> str:
        """What the page says it is doing: the phase while running, else the status."""
        if self.status == JobStatus.RUNNING and self.phase:
            return str(JobPhase(self.phase).label)
        return str(self.get_status_display())

    @property
    def percent(self) -> int:
        if not self.active:
            return 100
        if not self.total_rows:
            return 0
        passes = 2 if (self.kind, self.mode) in TWO_PASSES else 1
        done = self.processed + (self.total_rows if self.phase == JobPhase.WRITING and passes == 2 else 0)
        return min(99, done * 100 // (self.total_rows * passes))
