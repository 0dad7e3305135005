"""The audit log is hash-chained: `anquan audit verify` passes, and fails after a row is altered by hand."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from anquan.core import audit
from anquan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_verify_passes_on_an_intact_log(world, capsys):
    assert AuditEntry.objects.count() >= 4 + len(world.users)
    call_command("audit", "verify")
    assert "entries verified" in capsys.readouterr().out


def test_verify_reports_the_first_entry_altered_by_hand(world):
    victim = AuditEntry.objects.filter(model="enterprises.enterprise").order_by("id")[1]
    tampered = json.dumps({**victim.after, "name": "被篡改的名称"}, ensure_ascii=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET after = %s WHERE id = %s", [tampered, victim.id]
        )
    with pytest.raises(CommandError, match=f"audit log broken at entry {victim.id}"):
        call_command("audit", "verify")


def test_verify_detects_a_deleted_entry(world):
    victim = AuditEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [victim.id])
    result = audit.verify()
    assert not result.ok
    assert result.reason == "link to the previous entry is broken"


def test_verify_detects_entries_cut_from_the_end(world):
    last = AuditEntry.objects.order_by("-id").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [last.id])
    result = audit.verify()
    assert not result.ok and result.broken_id is None


def test_entries_cannot_be_changed_through_the_application(world):
    entry = AuditEntry.objects.first()
    entry.comment = "x"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_object_history_shows_who_changed_what(world, api_token):
    Client().patch(
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"principal_name": "王强"}),
        content_type="application/json",
        **api_token("county_office"),
    )
    from .conftest import login

    page = login(world.users["county_office"]).get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    assert "county_office" in page and "王强" in page
