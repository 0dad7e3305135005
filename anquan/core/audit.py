"""Writing and verifying the audit log (DESIGN rule 3).

Every service that changes data calls `record(...)` explicitly, so commands, imports and
background jobs are logged as well as web requests.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AuditAction, AuditChainHead, AuditEntry

GENESIS = "0" * 64


def _json_default(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name
    raise TypeError(f"cannot serialise {type(value)!r}")


def snapshot(obj: models.Model, exclude: Iterable[str] = ()) -> dict:
    """The concrete field values of a row, JSON-ready (foreign keys as ids)."""
    data = {}
    skip = set(exclude) | {"password"}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        value = getattr(obj, field.attname)
        data[field.attname] = json.loads(json.dumps(value, default=_json_default))
    return data


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "model": entry.model,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "region_code": entry.region_code,
        "before": entry.before,
        "after": entry.after,
        "comment": entry.comment,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=_json_default).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def record(
    action: str,
    obj: models.Model,
    *,
    actor=None,
    before: dict | None = None,
    after: dict | None = None,
    comment: str = "",
    region_code: str | None = None,
) -> AuditEntry:
    """Append one entry. Must run inside the transaction that makes the change."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    if region_code is None:
        region_code = getattr(obj, "region_code", "") or ""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS, "length": 0}
        )
        entry = AuditEntry(
            at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_label=_actor_label(actor),
            action=action,
            model=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
            region_code=region_code,
            before=before,
            after=after,
            comment=comment,
            prev_hash=head.last_hash,
        )
        entry.hash = compute_hash(entry)
        entry.save()
        head.last_hash = entry.hash
        head.length += 1
        head.save(update_fields=["last_hash", "length"])
    return entry


def record_many(action: str, objs: list[models.Model], *, actor, comment: str = "") -> int:
    """Append one entry per object in a single locked pass (imports)."""
    return _append_all(
        [
            AuditEntry(
                action=action,
                model=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                region_code=getattr(obj, "region_code", "") or "",
                before=None,
                after=snapshot(obj) if action != AuditAction.DELETE else None,
            )
            for obj in objs
        ],
        actor=actor,
        comment=comment,
    )


@dataclass(frozen=True)
class Subject:
    """What an entry is about when it is no row of a model, e.g. a file on disk.

    `kind` stands where a model's label would ("media.file"), `key` where its primary key would
    (at most 64 characters), `label` is what a reader sees."""

    kind: str
    key: str
    label: str
    region_code: str = ""
    before: dict | None = None
    after: dict | None = None


def record_subjects(action: str, subjects: list[Subject], *, actor, comment: str = "") -> int:
    """Append one entry per subject in a single locked pass (changes made outside the models)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    return _append_all(
        [
            AuditEntry(
                action=action,
                model=s.kind,
                object_id=s.key[:64],
                object_repr=s.label[:300],
                region_code=s.region_code,
                before=json.loads(json.dumps(s.before, default=_json_default)),
                after=json.loads(json.dumps(s.after, default=_json_default)),
            )
            for s in subjects
        ],
        actor=actor,
        comment=comment,
    )


def _append_all(entries: list[AuditEntry], *, actor, comment: str) -> int:
    """Chain `entries` (content filled in, links not yet) after the head and store them in one pass."""
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"last_hash": GENESIS, "length": 0}
        )
        prev = head.last_hash
        now = timezone.now()
        for entry in entries:
            entry.at = now
            entry.actor = actor if getattr(actor, "pk", None) else None
            entry.actor_label = _actor_label(actor)
            entry.comment = comment
            entry.prev_hash = prev
            entry.hash = prev = compute_hash(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=1000)
        head.last_hash = prev
        head.length += len(entries)
        head.save(update_fields=["last_hash", "length"])
    return len(entries)


def _actor_label(actor) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "username", str(actor))


def record_create(obj, *, actor, comment: str = "") -> AuditEntry:
    return record(AuditAction.CREATE, obj, actor=actor, after=snapshot(obj), comment=comment)


def record_update(obj, before: dict, *, actor, comment: str = "") -> AuditEntry | None:
    after = snapshot(obj)
    if after == before:
        return None
    return record(AuditAction.UPDATE, obj, actor=actor, before=before, after=after, comment=comment)


def record_delete(obj, *, actor, comment: str = "") -> AuditEntry:
    return record(AuditAction.DELETE, obj, actor=actor, before=snapshot(obj), comment=comment)


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain in id order; report the first entry whose hash or link does not hold."""
    prev = GENESIS
    checked = 0
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for entry in rows:
            if entry.prev_hash != prev:
                return VerifyResult(False, checked, entry.id, "link to the previous entry is broken")
            if compute_hash(entry) != entry.hash:
                return VerifyResult(False, checked, entry.id, "content does not match its hash")
            prev = entry.hash
            checked += 1
            last_id = entry.id
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_hash != prev or head.length != checked):
        return VerifyResult(False, checked, None, "entries are missing at the end of the log")
    return VerifyResult(True, checked)


def history(obj: models.Model):
    return AuditEntry.objects.filter(model=obj._meta.label_lower, object_id=str(obj.pk)).select_related(
        "actor"
    )
