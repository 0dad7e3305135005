"""Writes outside the services that are audited too (issue #10 item 6): regions loaded by the loader the
`loadregions` and `demo` commands run, and reference data changed by a data migration."""

import pytest

from anquan.core import audit
from anquan.core.models import AuditAction, AuditEntry
from anquan.regions.choices import RegionLevel
from anquan.regions.loader import load_province, load_villages
from anquan.regions.models import Region

pytestmark = pytest.mark.django_db


def test_villages_loaded_by_command_are_audited_one_entry_each(reference):
    load_villages("360429")  # 湖口县
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith="360429")
    ids = [str(pk) for pk in villages.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(model="regions.region", object_id__in=ids)
    assert len(ids) > 50 and entries.count() == len(ids)  # one each
    assert set(entries.values_list("action", "actor_label")) == {(AuditAction.IMPORT, "loadregions")}
    before = AuditEntry.objects.count()
    load_villages("360429")  # nothing new: nothing recorded
    assert AuditEntry.objects.count() == before


def test_a_renamed_region_is_audited_with_before_and_after(reference):
    county = Region.objects.get(code="360402")
    Region.objects.filter(pk=county.pk).update(name="旧名区")
    load_province("360000")
    entry = AuditEntry.objects.filter(model="regions.region", object_id=str(county.pk)).latest("id")
    assert entry.action == AuditAction.UPDATE
    assert (entry.before["name"], entry.after["name"]) == ("旧名区", "濂溪区")


def test_data_migrations_are_in_the_log(reference):
    """`migrate` sends post_migrate with its plan; the log records each data migration of the plan. (A
    transactional test before this one on the worker may have emptied the log the test database was built with:
    the signal is sent again with that migration's plan then.)"""
    logged = AuditEntry.objects.filter(model="migrations.migration", object_id="orgs.0002_reference_data")
    if not logged.exists():
        from django.core.management.sql import emit_post_migrate_signal
        from django.db import connection
        from django.db.migrations.loader import MigrationLoader

        migration = MigrationLoader(connection).graph.nodes[("orgs", "0002_reference_data")]
        emit_post_migrate_signal(0, False, "default", plan=[(migration, False)])
    entry = logged.get()
    assert entry.actor_label == "migrate" and entry.after["direction"] == "forwards"
    assert entry.region_code == "360000"  # the province's offices see it
    assert audit.verify().ok
