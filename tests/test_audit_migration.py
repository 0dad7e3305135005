"""Upgrading a database whose audit log was chained with the old rule (plain SHA-256 by id, no key):
`core.0005_audit_carry_over` fills the entries' department and enterprise, verifies the old chain and
re-chains it under the key; a tampered old chain stops the migration (docs/adr/0006-audit-chain.md)."""

import datetime as dt
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from anquan.core import audit
from anquan.core.models import AuditEntry

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("core", "0003_idempotency_request_hash")]
carry_over = import_module("anquan.core.migrations.0005_audit_carry_over")


def _latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_log(world, tamper: bool = False) -> list[int]:
    """Back to the schema before the change, and a log of three entries written with the old rule."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Entry = executor.loader.project_state(BEFORE).apps.get_model("core", "AuditEntry")
    Head = executor.loader.project_state(BEFORE).apps.get_model("core", "AuditChainHead")
    Entry.objects.all().delete()
    prev, ids = audit.GENESIS, []
    for n, enterprise in enumerate([world.chem_t1, world.build_t1, world.chem_t2]):
        entry = Entry(
            at=dt.datetime(2026, 11, 1 + n, 8, tzinfo=dt.UTC),
            actor_label="county_office",
            action="update",
            model="enterprises.enterprise",
            object_id=str(enterprise.pk),
            object_repr=enterprise.name,
            region_code=enterprise.region_code,
            after={"address": f"地址{n}"},
            comment="",
            prev_hash=prev,
        )
        entry.hash = prev = carry_over._legacy_hash(entry)
        entry.save()
        ids.append(entry.pk)
    Head.objects.update_or_create(pk=1, defaults={"last_hash": prev, "length": 3})
    if tamper:
        Entry.objects.filter(pk=ids[1]).update(comment="改过")
    return ids


def test_an_intact_old_chain_is_carried_over(world):
    try:
        ids = _old_log(world)
    finally:
        _latest()  # the migration under test (and the schema back to the latest either way)
    rows = list(AuditEntry.objects.filter(pk__in=ids).order_by("seq"))
    assert [(r.pk, r.seq) for r in rows] == list(zip(ids, [1, 2, 3], strict=True))
    assert {r.key_id for r in rows} == {audit.current_key()[0]}
    assert rows[1].department_id == world.build_t1.supervising_department_id
    assert rows[1].enterprise_id == world.build_t1.pk
    assert audit.verify(anchors=False).ok


def test_a_tampered_old_chain_stops_the_upgrade(world):
    try:
        ids = _old_log(world, tamper=True)
        with pytest.raises(RuntimeError, match=f"broken at entry {ids[1]}"):
            _latest()
    finally:  # the schema back to the latest for the tests after this one
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table}")
        _latest()
