"""Carry the existing audit log over to the keyed chain (docs/adr/0006-audit-chain.md).

1. Scope columns: each existing entry gets the department and enterprise of the object it describes, read
   through that object's ScopeSpec, where the object still exists (entries about deleted objects keep none:
   they stay visible to offices of their region, hidden from department and enterprise users).
2. The old chain (plain SHA-256, linked in id order) is verified with the old rule first: a broken old chain
   stops the migration, naming the entry, because re-chaining it would hide the tampering. An operator who
   has investigated and wants to carry on sets ANQUAN_AUDIT_RECHAIN_BROKEN=1 (the break is then logged).
3. Every existing entry is re-chained in id order under the audit key (HMAC-SHA256): `seq` = its position,
   `key_id` = the current key, new `prev_hash` and `hash`; the head row is set to the result.
"""

import hashlib
import json
import logging
import os

from django.db import DatabaseError, migrations, transaction

log = logging.getLogger("anquan.audit")
BATCH = 2000
GENESIS = "0" * 64


def _legacy_hash(entry) -> str:
    """The rule of the chain before this migration (frozen copy)."""
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
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _batches(Entry, **filters):
    last = 0
    while True:
        rows = list(Entry.objects.filter(id__gt=last, **filters).order_by("id")[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _scope_paths(label: str):
    """(model, department path, enterprise path) from the live model's ScopeSpec (historical models carry no
    class attributes), or its plain columns for a model without one; None for an unknown model."""
    from django.apps import apps as live_apps

    from anquan.core.scope import ScopeSpec
    from anquan.core.models import audit_model

    model = audit_model(label)  # also a label the model had before it moved app ("risk.riskpoint")
    if model is None:
        return None
    spec = getattr(model, "scope", None)
    if isinstance(spec, ScopeSpec):
        return model, spec.department, spec.enterprise
    names = {f.attname for f in model._meta.concrete_fields}
    return (
        model,
        "supervising_department_id" if "supervising_department_id" in names else None,
        "enterprise_id" if "enterprise_id" in names else None,
    )


def backfill_scope(apps, schema_editor):
    Entry = apps.get_model("core", "AuditEntry")
    for label in Entry.objects.order_by().values_list("model", flat=True).distinct():
        found = _scope_paths(label)
        if found is None:
            continue
        model, department, enterprise = found
        if department is None and enterprise is None:
            continue
        ids = {
            int(i)
            for i in Entry.objects.filter(model=label).values_list("object_id", flat=True).distinct()
            if str(i).isdigit()
        }
        ids = sorted(ids)
        for start in range(0, len(ids), BATCH):
            part = ids[start : start + BATCH]
            paths = ["pk", department or "pk", enterprise or "pk"]
            try:
                with transaction.atomic():
                    rows = list(model._base_manager.filter(pk__in=part).values_list(*paths))
            except DatabaseError:  # a column the live model has and this database does not have yet
                log.warning("audit scope backfill skipped for %s", label)
                break
            groups: dict[tuple, list[str]] = {}
            for pk, dep, ent in rows:
                key = (dep if department else None, ent if enterprise else None)
                if key != (None, None):
                    groups.setdefault(key, []).append(str(pk))
            for (dep, ent), pks in groups.items():
                Entry.objects.filter(model=label, object_id__in=pks).update(department_id=dep, enterprise_id=ent)


def rechain(apps, schema_editor):
    from anquan.core.audit import compute_hash, current_key

    Entry = apps.get_model("core", "AuditEntry")
    Head = apps.get_model("core", "AuditChainHead")
    prev = GENESIS
    for rows in _batches(Entry):
        for entry in rows:
            if entry.prev_hash != prev or _legacy_hash(entry) != entry.hash:
                message = f"the existing audit log is broken at entry {entry.id} (checked with the old rule)"
                if os.environ.get("ANQUAN_AUDIT_RECHAIN_BROKEN") != "1":
                    raise RuntimeError(
                        message + ": investigate (or restore a backup) before upgrading; to re-chain it anyway "
                        "set ANQUAN_AUDIT_RECHAIN_BROKEN=1 (docs/adr/0006-audit-chain.md)"
                    )
                log.error("%s; re-chained anyway (ANQUAN_AUDIT_RECHAIN_BROKEN=1)", message)
            prev = entry.hash
    key_id, key = current_key()
    prev, seq = GENESIS, 0
    for rows in _batches(Entry):
        for entry in rows:
            seq += 1
            entry.seq, entry.key_id, entry.prev_hash = seq, key_id, prev
            entry.hash = prev = compute_hash(entry, key)
        Entry.objects.bulk_update(rows, ["seq", "key_id", "prev_hash", "hash"])
    Head.objects.update_or_create(pk=1, defaults={"last_hash": prev, "length": seq})


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_audit_chain_keyed_scoped"),
        # the models whose rows the scope backfill reads
        ("accounts", "0003_token_lifecycle"),
        ("enterprises", "0003_risk_level"),
        ("hazards", "0005_risk_point"),
        ("risk", "0009_next_assessment_due"),
        ("accidents", "0003_photos"),
        ("regions", "0001_initial"),
        ("bulletins", "0001_initial"),
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill_scope, migrations.RunPython.noop),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
