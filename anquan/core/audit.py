"""Writing, chaining, anchoring and verifying the audit log (DESIGN rule 3; docs/adr/0006-audit-chain.md).

Every service that changes data calls `record(...)` explicitly, so commands, imports and background jobs
are logged as well as web requests.

- `record` / `record_many` / `record_subjects` only INSERT entries (no lock: concurrent writers never wait
  for each other). Each entry carries the described object's region, department and enterprise, so the log
  is narrowed like the objects themselves (`visible_entries`).
- `chain_pending` links the committed, unchained entries in insert order: it gives each its chain position
  `seq`, the previous entry's hash and its own hash, an HMAC-SHA256 under the audit key. It runs right after
  the writing transaction commits (an on-commit hook registered by `record`) and at the end of every sweep;
  only one chainer works at a time (the head row, locked with SKIP LOCKED: a second chainer leaves instead
  of waiting).
- `anchor` appends the chain's length and head hash to a file outside the database (`AUDIT_ANCHOR_FILE`);
  `anchor_line` is the same fact as one line of text for a printed bulletin.
- `verify` walks the chain by `seq` in batches, checks every link and HMAC, the head row and the anchors,
  and reports the unchained tail.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
import logging
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, connection, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AuditAction, AuditChainHead, AuditEntry, audit_labels
from .permissions import Perm, has_perm
from .scope import restrict, scope_values

log = logging.getLogger("anquan.audit")

GENESIS = "0" * 64
CHAIN_BATCH = 1000
# Entries about these models describe user accounts and their credentials: shown only to roles that manage users.
ACCOUNT_MODEL_PREFIX = "accounts."


# ---- keys -----------------------------------------------------------------------------------------------


def key_id_of(key: str) -> str:
    """A key's public name stored on each entry: a fingerprint that reveals nothing usable about the key."""
    return "k" + hashlib.sha256(("anquan-audit-key-id:" + key).encode()).hexdigest()[:12]


def current_key() -> tuple[str, bytes]:
    key = settings.AUDIT_KEY
    return key_id_of(key), key.encode()


def known_keys() -> dict[str, bytes]:
    """Every key an entry may have been chained under: the current one and the retired ones."""
    keys = {key_id_of(k): k.encode() for k in settings.AUDIT_OLD_KEYS}
    key_id, key = current_key()
    keys[key_id] = key
    return keys


# ---- content ----------------------------------------------------------------------------------------------


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
    """The concrete field values of a row, JSON-ready (foreign keys as ids); never a password nor the fields a
    model lists in `AUDIT_EXCLUDE` (secrets kept encrypted or hashed: the audit log must not copy them)."""
    data = {}
    skip = set(exclude) | {"password"} | set(getattr(obj, "AUDIT_EXCLUDE", ()))
    for f in obj._meta.concrete_fields:
        if f.name in skip:
            continue
        value = getattr(obj, f.attname)
        data[f.attname] = json.loads(json.dumps(value, default=_json_default))
    return data


def _canonical(entry) -> bytes:
    """What the HMAC covers: every column of the entry except its own hash (the link included)."""
    at = entry.at
    if timezone.is_aware(at):
        at = at.astimezone(dt.UTC)
    payload = {
        "id": entry.id,
        "seq": entry.seq,
        "key_id": entry.key_id,
        "at": at.isoformat(),
        "actor_id": entry.actor_id,
        "actor_label": entry.actor_label,
        "action": entry.action,
        "model": entry.model,
        "object_id": entry.object_id,
        "object_repr": entry.object_repr,
        "region_code": entry.region_code,
        "department_id": entry.department_id,
        "enterprise_id": entry.enterprise_id,
        "before": entry.before,
        "after": entry.after,
        "comment": entry.comment,
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=_json_default).encode()


def compute_hash(entry, key: bytes) -> str:
    return hmac.new(key, _canonical(entry), hashlib.sha256).hexdigest()


# ---- writing ------------------------------------------------------------------------------------------------


def _where(obj: models.Model, region_code: str | None) -> tuple[str, int | None, int | None]:
    """(region code, department id, enterprise id) of `obj`, read through its model's ScopeSpec."""

    try:
        values = scope_values(obj)
    except ObjectDoesNotExist:  # a relation on the path deleted with it: what its own columns say
        values = None
    if values is None:  # a model without a scope of its own: what its columns say
        region = getattr(obj, "region_code", "") or ""
        department = getattr(obj, "supervising_department_id", None)
        enterprise = getattr(obj, "enterprise_id", None)
    else:
        region, department, enterprise = values.region_code, values.department_id, values.enterprise_id
    if region_code is not None:
        region = region_code
    return region, department, enterprise


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
    """Append one entry (an INSERT, no lock). Must run inside the transaction that makes the change: the
    entry commits or rolls back with it, and is chained right after the commit."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    region, department, enterprise = _where(obj, region_code)
    entry = AuditEntry(
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        action=action,
        model=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        region_code=region,
        department_id=department,
        enterprise_id=enterprise,
        before=before,
        after=after,
        comment=comment,
    )
    entry.save()
    chain_after_commit()
    return entry


def record_many(action: str, objs: Sequence[models.Model], *, actor, comment: str = "") -> int:
    """Append one entry per object in one bulk insert (imports)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    after = action != AuditAction.DELETE
    return record_changes(
        action, [(obj, None, snapshot(obj) if after else None) for obj in objs], actor=actor, comment=comment
    )


def record_changes(
    action: str, changes: Sequence[tuple[models.Model, dict | None, dict | None]], *, actor, comment: str = ""
) -> int:
    """Append one entry per (object, before, after) in one bulk insert (a derived value recomputed in bulk)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    entries = []
    for obj, before, after in changes:
        region, department, enterprise = _where(obj, None)
        entries.append(
            AuditEntry(
                action=action,
                model=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                region_code=region,
                department_id=department,
                enterprise_id=enterprise,
                before=before,
                after=after,
            )
        )
    return _insert_all(entries, actor=actor, comment=comment)


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
    department_id: int | None = None
    enterprise_id: int | None = None


def record_subjects(action: str, subjects: list[Subject], *, actor, comment: str = "") -> int:
    """Append one entry per subject in one bulk insert (changes made outside the models)."""
    if action not in AuditAction.values:
        raise ValueError(f"unknown audit action {action!r}")
    return _insert_all(
        [
            AuditEntry(
                action=action,
                model=s.kind,
                object_id=s.key[:64],
                object_repr=s.label[:300],
                region_code=s.region_code,
                department_id=s.department_id,
                enterprise_id=s.enterprise_id,
                before=json.loads(json.dumps(s.before, default=_json_default)),
                after=json.loads(json.dumps(s.after, default=_json_default)),
            )
            for s in subjects
        ],
        actor=actor,
        comment=comment,
    )


def _insert_all(entries: list[AuditEntry], *, actor, comment: str) -> int:
    if not entries:
        return 0
    now = timezone.now()
    for entry in entries:
        entry.at = now
        entry.actor = actor if getattr(actor, "pk", None) else None
        entry.actor_label = _actor_label(actor)
        entry.comment = comment
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    chain_after_commit()
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


# ---- chaining -----------------------------------------------------------------------------------------------


def _chain_hook() -> None:
    try:
        chain_pending()
    except Exception:  # the writer's transaction has committed: a failed chaining is left to the next chainer
        log.exception("chaining the audit log after commit failed; the next write or sweep will retry")


def chain_after_commit() -> None:
    """Chain the new entries once the current transaction commits (once per transaction)."""
    pending = getattr(connection, "run_on_commit", [])
    if connection.in_atomic_block and any(item[1] is _chain_hook for item in pending):
        return
    transaction.on_commit(_chain_hook)


def _locked_head() -> AuditChainHead | None:
    """The head row locked for this transaction, or None when another chainer holds it (PostgreSQL: SKIP
    LOCKED, no waiting). On SQLite the write transaction (BEGIN IMMEDIATE) already serialises chainers."""
    skip = connection.features.has_select_for_update_skip_locked
    rows = AuditChainHead.objects.filter(pk=1)
    head = rows.select_for_update(skip_locked=True).first() if skip else rows.first()
    if head is not None:
        return head
    if rows.exists():
        return None  # locked by another chainer
    try:
        with transaction.atomic():
            AuditChainHead.objects.create(pk=1, last_hash=GENESIS, length=0)
    except IntegrityError:
        pass  # created by another chainer meanwhile
    return rows.select_for_update(skip_locked=True).first() if skip else rows.first()


def _store_links(rows: list[AuditEntry]) -> None:
    """One prepared UPDATE per entry (executemany): faster than bulk_update's CASE over a thousand ids."""
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, key_id = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [(e.seq, e.key_id, e.prev_hash, e.hash, e.id) for e in rows],
        )


def chain_pending(batch: int = CHAIN_BATCH) -> int:
    """Link every committed, unchained entry after the head, in insert (id) order; returns how many.

    Entries commit in another order than their ids were given, and rolled-back inserts leave gaps: the
    chain position is therefore `seq`, given here, never the id. Returns 0 at once when another chainer
    is at work (it will see these entries, or the next hook or sweep will)."""
    key_id, key = current_key()
    total = 0
    while True:
        with transaction.atomic():
            head = _locked_head()
            if head is None:
                break
            rows = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not rows:
                break
            prev, seq = head.last_hash, head.length
            for entry in rows:
                seq += 1
                entry.seq, entry.key_id, entry.prev_hash = seq, key_id, prev
                entry.hash = prev = compute_hash(entry, key)
            _store_links(rows)
            head.last_hash, head.length = prev, seq
            head.save(update_fields=["last_hash", "length"])
        total += len(rows)
        if len(rows) < batch:
            break  # all there was (a writer's hook: no second transaction to find nothing)
    if total:
        _anchor_if_due()
    return total


# ---- anchoring ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    at: dt.datetime
    length: int
    head: str
    key_id: str = ""

    def line(self) -> str:
        stamp = self.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f"{stamp} length={self.length} head={self.head} key={self.key_id}"


def _head() -> tuple[int, str]:
    head = AuditChainHead.objects.filter(pk=1).first()
    return (head.length, head.last_hash) if head is not None else (0, GENESIS)


def anchor(path: Path | None = None) -> Anchor:
    """Append the chain's committed length and head hash to the anchor file (a line, O_APPEND)."""
    length, head = _head()
    mark = Anchor(timezone.now(), length, head, current_key()[0])
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="ascii") as fh:
        fh.write(mark.line() + "\n")
    return mark


def _anchor_if_due() -> None:
    path = Path(settings.AUDIT_ANCHOR_FILE)
    try:
        age = timezone.now().timestamp() - path.stat().st_mtime
    except FileNotFoundError:
        age = None
    if age is None or age >= settings.AUDIT_ANCHOR_MINUTES * 60:
        try:
            anchor(path)
        except OSError:
            log.exception("could not write the audit anchor to %s", path)


def read_anchors(path: Path | None = None) -> list[Anchor]:
    path = Path(path or settings.AUDIT_ANCHOR_FILE)
    if not path.exists():
        return []
    marks = []
    for number, text in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        parts = text.split()
        if not parts:
            continue
        try:
            fields = dict(p.split("=", 1) for p in parts[1:])
            at = dt.datetime.strptime(parts[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
            marks.append(Anchor(at, int(fields["length"]), fields["head"], fields.get("key", "")))
        except (ValueError, KeyError) as exc:
            raise ValueError(f"{path}, line {number}: not an anchor line") from exc
    return marks


def anchor_line() -> str:
    """The chain as it stands, in one line for a printed document (the monthly dispatch's footer): length,
    the first 16 characters of the head hash and the time. Comparing it with the log later shows whether
    entries were removed or rewritten since it was printed."""
    length, head = _head()
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return f"审计日志校验：共{length}条，链头{head[:16]}，{stamp}"


# ---- verifying ----------------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    unchained: int = 0  # entries inserted but not yet chained (in flight, or the chainer has not run)
    anchors: int = 0  # anchor lines compared
    notes: list[str] = field(default_factory=list)


def verify(batch: int = 5000, anchors: Path | None | bool = None) -> VerifyResult:
    """Walk the chain by position in batches; report the first entry whose link or HMAC does not hold, a head
    row that does not match the last entry, and a log shorter than or different from an anchor. `anchors`:
    the anchor file (default AUDIT_ANCHOR_FILE), or False to skip that comparison (a restored old copy)."""
    keys = known_keys()
    # the anchors before the head: on a running system the chain grows meanwhile, and every anchor read first
    # is no longer than the head read after it
    marks = [] if anchors is False else read_anchors(anchors if isinstance(anchors, Path) else None)
    wanted = {m.length for m in marks}
    seen: dict[int, tuple[str, int]] = {}
    prev, checked, last_seq = GENESIS, 0, 0
    unchained = AuditEntry.objects.filter(seq__isnull=True).count()

    def result(ok, broken_id=None, reason="") -> VerifyResult:
        return VerifyResult(ok, checked, broken_id, reason, unchained, len(marks))

    while True:
        head = AuditChainHead.objects.filter(pk=1).first()
        length, last_hash = (head.length, head.last_hash) if head else (0, GENESIS)
        while True:  # every chained entry, also those chained while we walk
            rows = list(AuditEntry.objects.filter(seq__gt=last_seq).order_by("seq")[:batch])
            if not rows:
                break
            for entry in rows:
                if entry.prev_hash != prev:
                    return result(False, entry.id, "link to the previous entry is broken")
                key = keys.get(entry.key_id)
                if key is None:
                    return result(False, entry.id, f"chained under an unknown key {entry.key_id!r}")
                if not hmac.compare_digest(compute_hash(entry, key), entry.hash):
                    return result(False, entry.id, "content does not match its hash")
                if entry.seq != last_seq + 1:
                    return result(False, entry.id, f"chain position {last_seq + 1} is missing")
                prev, last_seq, checked = entry.hash, entry.seq, checked + 1
                if entry.seq in wanted:
                    seen[entry.seq] = (entry.hash, entry.id)
        if length > checked:
            # the head names entries the walk did not find: cut from the end, unless chained since we looked
            if AuditEntry.objects.filter(seq__gt=last_seq).exists():
                continue
            return result(False, None, "entries are missing at the end of the log")
        if length == checked and last_hash != prev:
            return result(False, None, "the chain head does not match the last entry")
        if length < checked:
            # entries chained after the head was read, or a head rolled back behind its chain
            again = AuditChainHead.objects.filter(pk=1).first()
            if again is not None and again.length >= checked:
                continue
            return result(False, None, "the chain head is behind the last entry (rolled back)")
        break
    for mark in sorted(marks, key=lambda m: m.length, reverse=True):
        when = timezone.localtime(mark.at).strftime("%Y-%m-%d %H:%M")
        if mark.length > checked:
            return result(
                False,
                None,
                f"the log holds {checked} chained entries, fewer than the {mark.length} anchored at {when}: "
                "entries were removed (or this database is a restored older copy)",
            )
        if mark.length and seen[mark.length][0] != mark.head:
            return result(
                False, seen[mark.length][1], f"chain position {mark.length} differs from the anchor of {when}"
            )
    found = result(True)
    if not marks:
        found.notes.append("no anchor to compare with")
    return found


# ---- reading ------------------------------------------------------------------------------------------------


def visible_entries(user) -> models.QuerySet:
    """The entries `user` may read: about objects in their scope (region, department, enterprise, through
    the entry's own ScopeSpec), and about user accounts only for roles that manage users."""

    qs = restrict(AuditEntry, user)
    if not has_perm(user, Perm.USER_MANAGE):
        qs = qs.exclude(model__startswith=ACCOUNT_MODEL_PREFIX)
    return qs


def filtered(user, params: dict) -> models.QuerySet:
    """The audit-log page's and API's list: `visible_entries` narrowed by model, object id, actor, action."""
    qs = visible_entries(user).order_by("-id")
    if params.get("model"):
        qs = qs.filter(model__in=audit_labels(params["model"]))  # also entries from before a model moved app
        if params.get("object_id"):
            qs = qs.filter(object_id=params["object_id"])
    if params.get("actor"):
        qs = qs.filter(actor_label=params["actor"])
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    return qs


def history(obj: models.Model):
    labels = [
        obj._meta.label_lower,
        *getattr(obj, "former_labels", ()),
    ]  # entries from before a move keep their label
    return AuditEntry.objects.filter(model__in=labels, object_id=str(obj.pk)).select_related("actor")
