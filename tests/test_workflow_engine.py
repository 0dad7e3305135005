"""The workflow engine (anquan/core/workflow.py) on a real model: declared transitions, the order of refusals,
the event row and audit entry it writes, and its compare-and-set on the status *and* the preconditions.

The engine is exercised through a small workflow declared here on the hazard table, so that these tests do not
depend on how any domain declares its own; each domain's tests cover its declarations."""

import datetime as dt

import pytest
from django.http import Http404

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.core.workflow import SYSTEM, Guard, Transition, Workflow
from anquan.hazards.models import Hazard, HazardEvent

from .hazards.conftest import NOW, inspected
from .races import interleave

NO_PENDING = Guard({"extension_requested_until__isnull": True}, "extension_pending", "已有待审批的延期申请")
PENDING = Guard({"extension_requested_until__isnull": False}, "no_extension_request", "没有待审批的延期申请")

FLOW = Workflow(
    model=Hazard,
    event_model=HazardEvent,
    event_parent="hazard",
    status_labels={"rectifying": "整改中", "submitted": "待验收", "closed": "已销号"},
    field_labels={"until": "延期至", "reason": "理由"},
    stale_message="该隐患已被他人处理，请刷新后重试",
    transitions={
        "request_extension": Transition(
            "申请延期",
            ("rectifying",),
            None,
            {"enterprise_manager"},
            "只有整改责任方可以申请延期",
            guards=(NO_PENDING,),
            fields=("until", "reason"),
            required=("until", "reason"),
        ),
        "grant_extension": Transition(
            "批准延期", ("rectifying",), None, {"inspector", "department_supervisor"}, guards=(PENDING,)
        ),
        "close": Transition("销号", ("submitted",), "closed", lambda user, hazard: user is None),
        "mark": Transition("标记", ("rectifying",), None, {SYSTEM}),
        "lapse": Transition("逾期", ("rectifying",), "submitted", {SYSTEM}, guards=(NO_PENDING,)),
    },
)


def request(hazard, actor, until="2027-01-15"):
    return FLOW.apply(
        hazard,
        "request_extension",
        actor=actor,
        changes={"extension_requested_until": dt.date.fromisoformat(until), "extension_reason": "设备到货晚"},
        comment="设备到货晚",
        data={"until": until},
        now=NOW,
    )


@pytest.mark.django_db
def test_a_transition_writes_the_change_one_event_and_one_audit_entry(world):
    hazard = inspected(world, deadline="2026-12-31")
    audit_before = AuditEntry.objects.count()
    stored, event = request(hazard, world.users["enterprise_manager"])
    assert stored.status == "rectifying" and stored.extension_requested_until == dt.date(2027, 1, 15)
    assert (event.action, event.from_status, event.to_status) == (
        "request_extension",
        "rectifying",
        "rectifying",
    )
    assert event.data == {"until": "2027-01-15"} and event.comment == "设备到货晚"
    assert event.actor_label  # the person's name or username, shown in the hazard's history
    entries = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - audit_before]
    assert [e.action for e in entries] == ["transition"]
    # the step as its readers name it, and why: no codes
    assert entries[0].comment == "申请延期（设备到货晚）"
    assert entries[0].before["extension_requested_until"] is None
    assert entries[0].after["extension_requested_until"] == "2027-01-15"
    assert FLOW.available(stored, world.users["enterprise_manager"]) == []  # the guard hides the button
    assert FLOW.available(stored, world.users["inspector"]) == ["grant_extension"]


@pytest.mark.django_db
def test_refusals_come_in_order_scope_state_role_guard_and_change_nothing(world):
    hazard = inspected(world, deadline="2026-12-31")
    events = HazardEvent.objects.count()
    with pytest.raises(Http404):  # another county's office does not learn the hazard exists
        request(hazard, world.users["county_office_b"])
    with pytest.raises(NotPermitted) as refused:
        request(hazard, world.users["inspector"])
    assert refused.value.message == "只有整改责任方可以申请延期"
    with pytest.raises(Conflict) as wrong_state:
        FLOW.apply(hazard, "close", actor=None)
    assert wrong_state.value.code == "invalid_state" and "整改中" in wrong_state.value.message
    with pytest.raises(Conflict) as guard:
        FLOW.apply(hazard, "grant_extension", actor=world.users["inspector"])
    assert (guard.value.code, guard.value.message) == ("no_extension_request", "没有待审批的延期申请")
    with pytest.raises(ValidationFailed) as unknown:
        FLOW.apply(hazard, "fly", actor=world.users["inspector"])
    assert unknown.value.errors[0].code == "unknown_action"
    with pytest.raises(NotPermitted):  # a transition for the sweep only is refused to a person
        FLOW.apply(hazard, "mark", actor=world.users["county_office"])
    FLOW.apply(hazard, "mark", actor=None)  # … and taken by the system
    assert HazardEvent.objects.count() == events + 1
    hazard.refresh_from_db()
    assert hazard.extension_requested_until is None


@pytest.mark.django_db
def test_fields_are_declared_once_and_checked_the_same_for_page_and_api(world):
    with pytest.raises(ValidationFailed) as refused:
        FLOW.accept_fields("request_extension", {"until": "2027-01-15", "now": "1999-01-01"})
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("now", "unexpected_field"),
        ("reason", "required"),
    }
    assert refused.value.errors[-1].message == "请填写理由"
    assert FLOW.declared("request_extension", {"until": "2027-01-15", "reason": "", "actor": "x"}) == {
        "until": "2027-01-15"
    }


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_requests_with_the_same_status_exactly_one_wins(world):
    """The status stays `rectifying`, so only the guard in the UPDATE's WHERE clause can stop the second."""
    hazard = inspected(world, deadline="2026-12-31")
    manager = world.users["enterprise_manager"]
    first, second = interleave(
        lambda: request(hazard, manager), lambda: request(hazard, manager, "2027-02-01")
    )
    assert first.error is None
    assert isinstance(second.error, Conflict) and second.error.code == "extension_pending"
    hazard.refresh_from_db()
    assert hazard.extension_requested_until == dt.date(2027, 1, 15)  # the loser overwrote nothing
    assert hazard.events.filter(action="request_extension").count() == 1


@pytest.mark.django_db
def test_a_batch_for_the_sweep_skips_what_changed_meanwhile_and_records_each_change(world):
    """`apply_many`: the sweep's batch in one short transaction. A record whose status or precondition no
    longer holds in the database (a user acted after the sweep read it) is skipped, not overwritten."""
    first, second, third = (inspected(world, deadline="2026-12-31", description=d) for d in "abc")
    request(second, world.users["enterprise_manager"])  # a pending extension: the guard no longer holds
    Hazard.objects.filter(pk=third.pk).update(status="submitted")  # moved on since it was read
    audit_before = AuditEntry.objects.count()
    changed = FLOW.apply_many([first, second, third], "lapse", comment="逾期", now=NOW)
    assert [h.pk for h in changed] == [first.pk] and changed[0].status == "submitted"
    event = HazardEvent.objects.filter(action="lapse").get()
    assert (event.hazard_id, event.from_status, event.to_status, event.actor_label) == (
        first.pk,
        "rectifying",
        "submitted",
        "系统",
    )
    entries = list(AuditEntry.objects.order_by("id")[audit_before:])
    assert [(e.action, e.object_id, e.actor_label) for e in entries] == [
        ("transition", str(first.pk), "system")
    ]
    assert Hazard.objects.get(pk=second.pk).status == "rectifying"
    assert FLOW.apply_many([first], "lapse", now=NOW) == []  # in memory still rectifying: stale, skipped


@pytest.mark.django_db
def test_a_value_the_changes_were_computed_from_must_still_hold(world):
    """A grant computed from the requested date read earlier: if the request was replaced meanwhile (denied and
    made again), the grant is refused as stale instead of writing the old date."""
    hazard = inspected(world, deadline="2026-12-31")
    stored, _ = request(hazard, world.users["enterprise_manager"])
    read = Hazard.objects.get(pk=stored.pk)  # what the approver's page showed: 2027-01-15
    Hazard.objects.filter(pk=stored.pk).update(extension_requested_until=dt.date(2027, 3, 1))  # asked again
    with pytest.raises(Conflict) as stale:
        FLOW.apply(
            read,
            "grant_extension",
            actor=world.users["inspector"],
            changes={"deadline": read.extension_requested_until, "extension_requested_until": None},
            expect={"extension_requested_until": read.extension_requested_until},
        )
    assert stale.value.code == "stale"
    hazard.refresh_from_db()
    assert hazard.deadline == dt.date(2026, 12, 31) and hazard.extension_requested_until == dt.date(
        2027, 3, 1
    )


@pytest.mark.django_db
def test_the_audit_log_reads_a_status_change_and_its_times_in_chinese(world):
    hazard = inspected(world, deadline="2026-12-31")
    Hazard.objects.filter(pk=hazard.pk).update(status="submitted")
    hazard.refresh_from_db()
    FLOW.apply(hazard, "close", actor=None, changes={"closed_at": NOW}, now=NOW)
    entry = AuditEntry.objects.filter(model="hazards.hazard", object_id=str(hazard.pk)).latest("id")
    assert entry.comment == "销号：待验收 → 已销号"
    rows = {label: (old, new) for label, old, new in entry.changed_fields()}
    assert ("待验收", "已销号") in rows.values()
    assert (None, "2026-11-23 10:00") in rows.values()  # local time, minutes, not an ISO string in UTC
