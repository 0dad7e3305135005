"""The append-only, hash-chained audit log (DESIGN rule 3)."""

import json

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from anquan.core.scope import ScopeSpec

from .choices import AuditAction, NotificationKind

# Labels of the data kept in entries about something that is no row of a model (`anquan.core.audit.Subject`)
SUBJECT_LABELS = {
    "media.file": {"name": _("file"), "size": _("size in bytes"), "modified": _("last modified")},
}


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


class Structured:
    """A JSON value of an audit entry (a report's snapshot, a list of items) as the log page shows it: folded,
    with its number of items, and unfolded as indented JSON in Chinese (not a Python dict)."""

    structured = True

    def __init__(self, value: dict | list):
        self.count = len(value)
        self.text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)

    def __str__(self) -> str:
        return self.text

    def __eq__(self, other) -> bool:
        return isinstance(other, Structured) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    @classmethod
    def wrap(cls, value):
        return cls(value) if isinstance(value, dict | list) and value else value


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
        """(field label, before, after) for each changed field, related rows shown by name."""
        model = audit_model(self.model)
        fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
        before, after = self.before or {}, self.after or {}
        rows = []
        for key in (
            [k for k in after if k in fields]
            + sorted(set(before) - set(after))
            + [k for k in after if k not in fields]
        ):
            old, new = before.get(key), after.get(key)
            if old == new or key in self.NOISE or (self.before is None and new in (None, "", False)):
                continue
            field = fields.get(key)
            if field is not None and field.is_relation:
                old, new = self._related(field, old), self._related(field, new)
            elif field is not None and field.choices:
                labels = dict(field.flatchoices)
                old, new = labels.get(old, old), labels.get(new, new)
            elif isinstance(field, models.DateTimeField):
                old, new = self._moment(old), self._moment(new)
            old, new = Structured.wrap(old), Structured.wrap(new)
            label = (
                field.verbose_name if field is not None else SUBJECT_LABELS.get(self.model, {}).get(key, key)
            )
            rows.append((str(label), old, new))
        return rows

    @staticmethod
    def _moment(value):
        """A stored ISO timestamp as a reader in China reads it: 2026-01-02 14:38."""
        import datetime as dt

        from django.utils import timezone

        if not isinstance(value, str):
            return value
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return f"{moment:%Y-%m-%d %H:%M}"

    @staticmethod
    def _related(field, value):
        if value in (None, ""):
            return value
        return str(field.related_model._default_manager.filter(pk=value).first() or value)


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
