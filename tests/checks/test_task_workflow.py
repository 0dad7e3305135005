"""Check tasks as a declared workflow: completing and the sweep's missed marks write event rows and audit
entries, generated tasks are audited, the sweep works in short batches, and a task the enterprise completes
while the sweep runs is never marked missed."""

import datetime as dt

import pytest
from django.test import Client

from anquan.checks import services as tasks
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask, CheckTaskEvent
from anquan.core.errors import Conflict
from anquan.core.models import AuditEntry

from ..races import interleave
from ..riskpoints.helpers import new_point
from .test_tasks import MONDAY_9, local, schedule


def _entries(task, action):
    return AuditEntry.objects.filter(model="checks.checktask", object_id=str(task.pk), action=action)


@pytest.mark.django_db
def test_generated_tasks_are_audited_with_who_made_them(world):
    point = new_point(world)
    schedule(world, point, "day", MONDAY_9)  # the enterprise's manager adds the schedule: its first task
    first = CheckTask.objects.get()
    entry = _entries(first, "create").get()
    assert entry.actor == world.users["enterprise_manager"] and entry.region_code == world.chem_t1.region_code
    made = tasks.run(local(2026, 11, 24, 9)).created  # the sweep makes Tuesday's
    entry = _entries(CheckTask.objects.get(pk=made[0]), "create").get()
    assert (entry.actor, entry.actor_label, entry.comment) == (None, "system", "生成管控检查任务")


@pytest.mark.django_db
def test_the_sweep_marks_missed_in_batches_with_an_event_each(world, monkeypatch):
    point = new_point(world)
    for post in ("甲岗", "乙岗", "丙岗"):
        schedule(world, point, "day", MONDAY_9, post=post)
    monkeypatch.setattr(tasks, "BATCH", 2)  # three tasks: two batches, each its own transaction
    result = tasks.run(local(2026, 11, 24, 0, 5))
    assert len(result.missed) == 3 and len(result.created) == 3
    events = CheckTaskEvent.objects.filter(action="mark_missed")
    assert sorted(e.task_id for e in events) == sorted(result.missed)
    assert {(e.from_status, e.to_status, e.actor_label) for e in events} == {("open", "missed", "系统")}
    for pk in result.missed:
        entry = _entries(CheckTask.objects.get(pk=pk), "transition").get()
        assert entry.before is None and entry.after["status"] == "missed"
    assert tasks.run(local(2026, 11, 24, 0, 10)).missed == []  # counted once


@pytest.mark.django_db
def test_a_tasks_history_in_the_api_is_scoped(world, api_token):
    point = new_point(world)
    schedule(world, point, "day", MONDAY_9)
    missed = tasks.run(local(2026, 11, 24, 0, 5)).missed[0]
    path = f"/api/v1/check-tasks/{missed}/events"
    history = Client().get(path, **api_token("enterprise_manager")).json()
    assert history["count"] == 1
    assert {
        k: history["items"][0][k] for k in ("action", "from_status", "to_status", "actor", "comment")
    } == {
        "action": "mark_missed",
        "from_status": "open",
        "to_status": "missed",
        "actor": "系统",
        "comment": "周期结束时未完成",
    }
    assert Client().get(path, **api_token("county_office_b")).status_code == 404


@pytest.mark.django_db
def test_completing_writes_the_declared_event_with_its_hazard(world):
    point = new_point(world)
    schedule(world, point, "day", MONDAY_9)
    task = tasks.complete(
        CheckTask.objects.get(),
        {"outcome": "hazard", "description": "液位计损坏", "note": "已报隐患"},
        actor=world.users["enterprise_manager"],
        now=MONDAY_9 + dt.timedelta(hours=1),
    )
    event = task.events.get()
    assert (event.action, event.to_status, event.data) == (
        "done_hazard",
        "done_hazard",
        {"outcome": "hazard", "hazard": task.hazard_id},
    )
    with pytest.raises(Conflict) as again:
        tasks.complete(task, {"outcome": "normal"}, actor=world.users["enterprise_manager"])
    assert again.value.code == "invalid_state"


@pytest.mark.django_db(transaction=True)
def test_a_task_completed_while_the_sweep_runs_is_not_marked_missed(world):
    """The manager's completion holds its row when the sweep's batch reaches it: the sweep's compare-and-set
    on the open status then skips it, so the task stays done and no missed event is written."""
    point = new_point(world)
    schedule(world, point, "shift", MONDAY_9)
    task = CheckTask.objects.get()
    manager = world.users["enterprise_manager"]
    first, second = interleave(
        lambda: tasks.complete(task, {"outcome": "normal"}, actor=manager, now=local(2026, 11, 23, 15, 59)),
        lambda: tasks.mark_missed(local(2026, 11, 23, 16, 1)),
    )
    assert first.error is None and second.error is None
    assert second.value == []
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE_NORMAL
    assert [e.action for e in task.events.all()] == ["done_normal"]
