"""The audit chain (docs/adr/0006-audit-chain.md): entries are inserted without a lock and chained after
commit by position (`seq`), each hash an HMAC under the audit key, the head anchored in a file outside the
database. `anquan audit verify` passes on an intact log and detects, done with raw SQL as a database
administrator would: an edited entry, a deleted entry, a tail cut with the head rolled back, an entry edited
and the later hashes recomputed with plain SHA-256 or with a wrong key, and an emptied log."""

import hashlib
import hmac
import json
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from anquan.core import audit
from anquan.core.models import AuditAction, AuditChainHead, AuditEntry
from anquan.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db

ENTRIES = AuditEntry._meta.db_table
HEAD = AuditChainHead._meta.db_table


@pytest.fixture
def chained(world):
    """The world's entries chained and the head anchored, as the on-commit hook and the chainer leave them."""
    audit.chain_pending()
    audit.anchor()
    return world


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        if cursor.description:
            return cursor.fetchall()
    return None


def assert_broken(match: str):
    with pytest.raises(CommandError, match=match):
        call_command("audit", "verify")


def test_verify_passes_on_an_intact_log_and_reports_the_unchained_tail(chained, capsys):
    assert AuditEntry.objects.count() >= 4 + len(chained.users)
    call_command("audit", "verify")
    out = capsys.readouterr().out
    assert f"{AuditEntry.objects.count()} entries verified; 2 anchors compared" in out  # the chainer's, ours
    audit.record(AuditAction.UPDATE, chained.chem_t1, actor=None, comment="in flight")  # not chained yet
    call_command("audit", "verify")
    assert "1 entries not yet chained" in capsys.readouterr().out


def test_entries_are_inserted_unchained_and_chained_in_order_by_position(world):
    entry = audit.record_create(world.chem_t1, actor=None)
    assert (entry.seq, entry.hash, entry.prev_hash) == (None, "", "")  # an insert, nothing else
    assert audit.chain_pending() >= 1
    rows = list(AuditEntry.objects.order_by("seq"))
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    head = AuditChainHead.objects.get(pk=1)
    assert (head.length, head.last_hash) == (len(rows), rows[-1].hash)


def test_an_entry_committed_after_a_later_id_was_chained_takes_the_next_position(chained):
    """Ids are given at insert, commits come in another order (and rolled-back inserts leave gaps): a late
    commit of a lower id is chained after what was chained before it, and verify walks by position."""
    top = AuditEntry.objects.order_by("-id").first()
    late = audit.record(AuditAction.UPDATE, chained.chem_t1, actor=None, comment="late")
    sql(f"UPDATE {ENTRIES} SET id = %s WHERE id = %s", [top.id + 1000, late.id])  # a gap below it
    sql(
        f"INSERT INTO {ENTRIES} (id, at, actor_label, action, model, object_id, object_repr, region_code, "
        "comment, key_id, prev_hash, hash) SELECT %s, at, actor_label, action, model, object_id, object_repr, "
        f"region_code, 'committed late', '', '', '' FROM {ENTRIES} WHERE id = %s",
        [top.id + 500, top.id + 1000],
    )
    audit.chain_pending()
    late_ones = AuditEntry.objects.filter(id__gt=top.id).order_by("seq")
    assert [e.id for e in late_ones] == [top.id + 500, top.id + 1000]
    assert audit.verify().ok


def test_an_edited_entry_is_found(chained):
    victim = AuditEntry.objects.filter(model="enterprises.enterprise").order_by("seq")[1]
    tampered = json.dumps({**victim.after, "name": "被篡改的名称"}, ensure_ascii=False)
    sql(f"UPDATE {ENTRIES} SET after = %s WHERE id = %s", [tampered, victim.id])
    assert_broken(f"audit log broken at entry {victim.id}: content does not match its hash")


def test_a_deleted_entry_is_found(chained):
    victim = AuditEntry.objects.order_by("seq")[2]
    sql(f"DELETE FROM {ENTRIES} WHERE id = %s", [victim.id])
    result = audit.verify()
    assert not result.ok and result.reason == "link to the previous entry is broken"


def test_a_cut_tail_is_found_with_and_without_the_head_rolled_back(chained):
    rows = list(AuditEntry.objects.order_by("seq"))
    keep = rows[-4]
    sql(f"DELETE FROM {ENTRIES} WHERE seq > %s", [keep.seq])
    result = audit.verify()
    assert not result.ok and result.reason == "entries are missing at the end of the log"
    sql(f"UPDATE {HEAD} SET length = %s, last_hash = %s", [keep.seq, keep.hash])  # the head rolled back too
    result = audit.verify()
    assert not result.ok
    assert f"the log holds {keep.seq} chained entries, fewer than the {len(rows)} anchored" in result.reason


def test_a_head_rolled_back_behind_its_entries_is_found(world):
    audit.chain_pending()  # no anchor file: the head row alone must not be trusted
    rows = list(AuditEntry.objects.order_by("seq"))
    sql(f"UPDATE {HEAD} SET length = %s, last_hash = %s", [rows[-3].seq, rows[-3].hash])
    result = audit.verify(anchors=False)
    assert not result.ok and "behind" in result.reason


def _rewrite_from(victim, sign):
    """An administrator's forgery: edit `victim`, then recompute every later link and hash with `sign` and
    roll the head forward to the new last hash."""
    sql(f"UPDATE {ENTRIES} SET comment = %s WHERE id = %s", ["改过的说明", victim.id])
    prev = victim.prev_hash
    for entry in AuditEntry.objects.filter(seq__gte=victim.seq).order_by("seq"):
        entry.prev_hash = prev
        prev = sign(audit._canonical(entry))
        sql(
            f"UPDATE {ENTRIES} SET prev_hash = %s, hash = %s WHERE id = %s", [entry.prev_hash, prev, entry.id]
        )
    sql(f"UPDATE {HEAD} SET last_hash = %s", [prev])


@pytest.mark.parametrize(
    "sign",
    [
        pytest.param(lambda data: hashlib.sha256(data).hexdigest(), id="plain-sha256"),
        pytest.param(lambda data: hmac.new(b"w" * 40, data, hashlib.sha256).hexdigest(), id="wrong-key"),
    ],
)
def test_a_chain_recomputed_without_the_key_is_found(chained, sign):
    victim = AuditEntry.objects.order_by("seq")[3]
    _rewrite_from(victim, sign)
    assert_broken(f"audit log broken at entry {victim.id}: content does not match its hash")


def test_an_emptied_log_is_found(chained):
    sql(f"DELETE FROM {ENTRIES}")
    sql(f"UPDATE {HEAD} SET length = 0, last_hash = %s", [audit.GENESIS])
    assert_broken("fewer than the .* anchored")
    sql(f"DELETE FROM {HEAD}")
    assert_broken("fewer than the .* anchored")


def test_a_rewritten_head_anchored_earlier_is_found(chained, settings):
    """Even a chain rebuilt with the key (an insider holding it) differs from the anchor written before."""
    victim = AuditEntry.objects.order_by("seq")[3]
    key = settings.AUDIT_KEY.encode()
    _rewrite_from(victim, lambda data: hmac.new(key, data, hashlib.sha256).hexdigest())
    result = audit.verify()
    assert not result.ok and "differs from the anchor" in result.reason


def test_old_keys_stay_verifiable_after_a_rotation(chained, settings, capsys):
    call_command("audit", "rotate-key")
    printed = capsys.readouterr().out
    new_key = next(line for line in printed.splitlines() if line.startswith("ANQUAN_AUDIT_KEY="))
    old_keys = next(line for line in printed.splitlines() if line.startswith("ANQUAN_AUDIT_OLD_KEYS="))
    old = settings.AUDIT_KEY
    assert old_keys.split("=", 1)[1] == old
    settings.AUDIT_KEY, settings.AUDIT_OLD_KEYS = new_key.split("=", 1)[1], [old]
    audit.record_create(chained.chem_t2, actor=None)
    audit.chain_pending()
    assert AuditEntry.objects.values("key_id").distinct().count() == 2
    assert audit.verify().ok
    settings.AUDIT_OLD_KEYS = []  # a retired key dropped while entries chained under it exist
    result = audit.verify()
    assert not result.ok and "unknown key" in result.reason


def test_the_anchor_line_names_length_and_head(chained):
    head = AuditChainHead.objects.get(pk=1)
    line = audit.anchor_line()
    assert f"共{head.length}条" in line and head.last_hash[:16] in line


def test_entries_cannot_be_changed_through_the_application(chained):
    entry = AuditEntry.objects.first()
    entry.comment = "x"
    with pytest.raises(RuntimeError):
        entry.save()
    with pytest.raises(RuntimeError):
        entry.delete()


def test_object_history_shows_who_changed_what(world, api_token):
    from django.test import Client

    Client().patch(
        f"/api/v1/enterprises/{world.chem_t1.pk}",
        json.dumps({"principal_name": "王强"}),
        content_type="application/json",
        **api_token("county_office"),
    )
    from .conftest import login

    page = login(world.users["county_office"]).get(f"/enterprises/{world.chem_t1.pk}/").content.decode()
    assert "county_office" in page and "王强" in page


def test_risk_level_changes_are_audited(world):
    from anquan.riskpoints import levels

    enterprise = world.chem_t1
    Enterprise.objects.filter(pk=enterprise.pk).update(risk_level="red")  # stale: nothing raises it
    before = AuditEntry.objects.count()
    assert levels.refresh(enterprise) == ""
    entry = AuditEntry.objects.filter(model="enterprises.enterprise", object_id=str(enterprise.pk)).latest(
        "id"
    )
    assert (entry.before, entry.after) == ({"risk_level": "red"}, {"risk_level": ""})
    assert entry.department_id == enterprise.supervising_department_id
    levels.refresh(enterprise)  # unchanged: no entry
    assert AuditEntry.objects.count() == before + 1
    Enterprise.objects.filter(pk=enterprise.pk).update(risk_level="blue")
    assert levels.refresh_many(Enterprise.objects.filter(pk=enterprise.pk)) == 1
    entry = AuditEntry.objects.filter(model="enterprises.enterprise", object_id=str(enterprise.pk)).latest(
        "id"
    )
    assert (entry.before, entry.after) == ({"risk_level": "blue"}, {"risk_level": ""})


@pytest.mark.django_db(transaction=True)
def test_a_write_does_not_wait_for_another_writers_open_transaction(world):
    """Two writers, each recording in its own transaction: on PostgreSQL the second inserts, commits and is
    chained while the first is still open (no lock is shared between them); the first, committed last, is
    chained after it although its id is lower. On SQLite the database itself takes one write at a time."""
    first_inserted, second_done = threading.Event(), threading.Event()
    seen = {}

    def first():
        with transaction.atomic():
            seen["first"] = audit.record(AuditAction.UPDATE, world.chem_t1, actor=None, comment="first").id
            first_inserted.set()
            if connection.vendor == "postgresql":
                seen["second_finished_meanwhile"] = second_done.wait(timeout=30)
        connection.close()

    def second():
        first_inserted.wait(timeout=30)
        with transaction.atomic():
            seen["second"] = audit.record(AuditAction.UPDATE, world.chem_t2, actor=None, comment="second").id
        seen["second_seq"] = AuditEntry.objects.get(pk=seen["second"]).seq  # chained on its own commit
        second_done.set()
        connection.close()

    audit.chain_pending()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    if connection.vendor == "postgresql":
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert seen["second_finished_meanwhile"]
        assert seen["second_seq"] is not None
        first_seq = AuditEntry.objects.get(pk=seen["first"]).seq
        assert seen["first"] < seen["second"] and first_seq == seen["second_seq"] + 1
    else:
        for t in threads:
            t.start()
            t.join()
    assert AuditEntry.objects.filter(seq__isnull=True).count() == 0
    assert audit.verify().ok


def test_the_audit_key_is_required_with_debug_off_and_must_be_long():
    import os
    import subprocess
    import sys

    def load(**env):
        base = {k: v for k, v in os.environ.items() if k not in ("ANQUAN_AUDIT_KEY", "DEBUG")}
        command = [sys.executable, "-c", "import anquan.settings"]
        return subprocess.run(command, env={**base, **env}, capture_output=True, text=True, timeout=60)

    missing = load()
    assert missing.returncode != 0 and "ANQUAN_AUDIT_KEY is not set" in missing.stderr
    assert load(DEBUG="true").returncode == 0  # the demo: derived from SECRET_KEY
    short = load(ANQUAN_AUDIT_KEY="too-short")
    assert short.returncode != 0 and "at least 32 characters" in short.stderr
    assert load(ANQUAN_AUDIT_KEY="k" * 40).returncode == 0
