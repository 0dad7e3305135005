"""The sweep's hazard steps one item at a time (anquan.hazards.deadlines, run by anquan.sweep.services): marks are
audited, and a hazard that another connection holds or changes while the sweep runs is skipped — the run goes
on, and the other change stays as it was made."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from anquan.core.models import AuditEntry
from anquan.hazards import actions
from anquan.hazards.models import Hazard
from anquan.sweep.services import sweep

from ..test_transactions import short_lock_wait  # noqa: F401 (a fixture: writers give up on a held lock after 0.3 s)
from .conftest import inspected

DEADLINE = "2026-12-04"  # a Friday
PAGE_QUERY = '"hazards_hazard"."id" > %s'  # the sweep's keyset page of candidates
AFTER = timezone.make_aware(dt.datetime(2026, 12, 7, 8))  # the Monday after: both hazards are overdue


def entries(hazard):
    return list(
        AuditEntry.objects.filter(
            model="hazards.hazard", object_id=str(hazard.pk), actor_label="sweep"
        ).order_by("id")
    )


@pytest.mark.django_db
def test_overdue_marks_and_escalations_have_audit_entries(world):
    general = inspected(world, deadline=DEADLINE, description="一般")
    major = inspected(world, deadline=DEADLINE, description="重大", major_item=5)

    result = sweep(AFTER)

    assert sorted(result.marked_overdue) == sorted([general.pk, major.pk])
    assert result.escalated == [major.pk]
    [mark] = entries(general)
    assert mark.action == "update" and mark.actor is None
    assert (mark.before["overdue"], mark.after["overdue"]) == (False, True)
    assert "整改期限2026-12-04已过" in mark.comment
    mark, escalation = entries(major)
    assert (mark.before["overdue"], mark.after["overdue"]) == (False, True)
    assert escalation.before["escalated_at"] is None and escalation.after["escalated_at"] is not None
    assert "逾期重大事故隐患已报九江市" in escalation.comment
    assert mark.region_code == major.region_code
    # a second run changes nothing, so it writes nothing
    assert sweep(AFTER + dt.timedelta(hours=1)).marked_overdue == []
    assert len(entries(general)) == 1 and len(entries(major)) == 2


@pytest.mark.django_db(transaction=True)
def test_a_hazard_changed_by_another_connection_during_the_sweep_keeps_that_change(world):
    """The enterprise gets an extension granted on another connection right after the sweep has read its page
    of candidates and before it marks them: the sweep must not mark the new deadline overdue."""
    changed = inspected(world, deadline=DEADLINE, description="延期中")
    other = inspected(world, deadline=DEADLINE, description="另一条")
    manager, supervisor = world.users["enterprise_manager"], world.users["emergency_supervisor"]
    fired = []

    def extend_elsewhere():
        try:
            actions.transition(changed, "request_extension", actor=manager, until="2026-12-31", reason="备件")
            actions.transition(changed, "grant_extension", actor=supervisor)
        finally:
            connection.close()

    def interleave(execute, sql, params, many, context):
        rows = execute(sql, params, many, context)
        if not fired and sql.startswith("SELECT") and PAGE_QUERY in sql:
            fired.append(True)
            thread = threading.Thread(target=extend_elsewhere)
            thread.start()
            thread.join()
        return rows

    with connection.execute_wrapper(interleave):
        result = sweep(AFTER)

    assert fired, "the other connection's change did not happen during the sweep"
    assert result.failed == []
    assert result.marked_overdue == [other.pk]
    assert result.skipped == [changed.pk]
    changed.refresh_from_db()
    assert changed.deadline == dt.date(2026, 12, 31) and not changed.overdue
    assert not changed.events.filter(action="mark_overdue").exists()
    assert entries(changed) == []


@pytest.mark.django_db(transaction=True)
def test_a_hazard_held_by_another_transaction_does_not_stop_the_sweep(world, short_lock_wait):  # noqa: F811
    """PostgreSQL: another transaction holds one hazard's row (as a transition in progress does); the sweep
    skips that hazard without waiting and marks the rest. SQLite locks the whole database for a writer, so
    there every write of the sweep is refused while it is held — each is reported and the run still ends.
    Either way the held hazard is marked by the next run once the other transaction is over."""
    held = inspected(world, deadline=DEADLINE, description="被锁定")
    free = inspected(world, deadline=DEADLINE, description="未锁定")
    connection.close()  # the next query connects with the short lock wait

    holder = connections.create_connection("default")
    holder.ensure_connection()
    raw = holder.connection
    try:
        if holder.vendor == "sqlite":
            raw.execute("BEGIN IMMEDIATE")
        else:
            raw.execute("BEGIN")
            raw.execute(f"SELECT id FROM {Hazard._meta.db_table} WHERE id = %s FOR UPDATE", [held.pk])
        result = sweep(AFTER)
    finally:
        raw.execute("ROLLBACK")
        holder.close()

    if connection.vendor == "postgresql":
        assert result.failed == []
        assert result.marked_overdue == [free.pk]
        assert result.skipped == [held.pk]
    else:
        assert result.marked_overdue == []
        assert {f.key for f in result.failed if f.job == "hazard deadlines"} == {held.pk, free.pk}
        assert all("locked" in f.error for f in result.failed)
    held.refresh_from_db()
    assert not held.overdue and not held.events.filter(action="mark_overdue").exists()

    later = sweep(AFTER + dt.timedelta(minutes=5))
    assert later.failed == []
    assert held.pk in later.marked_overdue
    assert Hazard.objects.filter(pk__in=[held.pk, free.pk], overdue=True).count() == 2
