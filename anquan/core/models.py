"""The append-only, hash-chained audit log (DESIGN rule 3)."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec

from .choices import AuditAction, NotificationKind


def audit_model(label: str):
    """The model an entry's `model` label names, also by a label the model had before it moved to another app
    (its `former_labels`, e.g. "risk.riskpoint" for riskpoints.RiskPoint: old entries keep the label they were
    chained with); None for a label of no model."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        pass
    label = label.lower()
    for model in apps.get_models():
        if label in getattr(model, "former_labels", ()):
            return model
    return None


def audit_labels(label: str) -> list[str]:
    """Every label the entries about one model carry: its current label and its former ones."""
    model = audit_model(label)
    if model is None:
        return [label]
    return [model._meta.label_lower, *getattr(model, "former_labels", ())]


class AuditEntry(models.Model):
    """One change. Written by `anquan.core.audit.record` as a plain insert (its id is its insert order);
    the chainer (`audit.chain_pending`, right after commit) then gives it its chain position `seq`, the
    previous entry's hash and its own `hash`, an HMAC under the key `key_id` over its content and that link
    (docs/adr/0006-audit-chain.md). Saving an existing entry or deleting one raises, and `anquan audit
    verify` finds any row altered behind our back.

    `department_id` and `enterprise_id` are the described object's scope at the time of the change
    (`scope.scope_values`), so the log is narrowed exactly like the objects it describes.
    """

    scope = ScopeSpec(region="region_code", department="department_id", enterprise="enterprise_id")

    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    model = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    region_code = models.CharField(max_length=12, blank=True, db_index=True)
    # plain numbers, not foreign keys: the log outlives the rows it describes
    department_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    enterprise_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    comment = models.TextField(blank=True)
    # filled by the chainer after commit; empty while the entry is in the unchained tail
    seq = models.BigIntegerField(null=True, blank=True, unique=True)
    key_id = models.CharField(max_length=20, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["model", "object_id"]),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="core_audit_unchained"),
        ]
        verbose_name = _("audit entry")

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.model}:{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("audit entries are append-only")

    NOISE = {"id", "created_at", "updated_at", "name_initials", "region_code", "password", "last_login"}

    def changed_fields(self) -> list[tuple[str, object, object]]:
        """(field label, before, after) for each changed field, as a reader reads them (`core.audit_display`)."""
        from . import audit_display

        return audit_display.changes(self, audit_model(self.model))

    def actor_display(self) -> str:
        from . import audit_display

        return audit_display.actor(self)


class AuditChainHead(models.Model):
    """Single row holding the chain's length and last hash; locked only by the chainer (never by a request)."""

    last_hash = models.CharField(max_length=64)
    length = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"audit head ({self.length} entries)"


class IdempotencyRecord(models.Model):
    """The answer given to a creating call with a client key (DESIGN rule 6), replayed on retry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    scope = models.CharField(max_length=100)  # which endpoint the key was used on
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    # SHA-256 of the request that used the key (core.idempotency.fingerprint): the same key with another
    # request is refused (422) instead of silently answered with the first request's result. Empty on
    # records made before it was kept: those replay as before.
    request_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "scope", "key"], name="one_answer_per_key")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class Notification(models.Model):
    """An in-app notification; `dedupe_key` keeps a periodic sweep from sending the same one twice.

    `kind` groups the notifications page. A notification that announces a task names it: `subject` (the record,
    e.g. ``hazard:12``) and `step` (what waits on it, e.g. ``submitted``); once the task is done it is marked
    done (and read) for everyone it went to (`anquan.core.notify.resolve`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=150, null=True, blank=True)  # noqa: DJ001 (NULLs stay distinct under the unique constraint)
    kind = models.CharField(
        _("kind"), max_length=30, choices=NotificationKind.choices, default=NotificationKind.OTHER
    )
    subject = models.CharField(max_length=60, blank=True, db_index=True)
    step = models.CharField(max_length=30, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="one_notification_per_key")
        ]

    def __str__(self) -> str:
        return self.title


class UploadedFile(models.Model):
    """A file a user uploaded to a record, checked, stored and audited by `core.uploads.store_upload` and
    served through the record's scope by `core.uploads.scoped_file`. A subclass adds the foreign key to its
    record, its `file` field (with its folder) and its `scope` (through the record)."""

    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
