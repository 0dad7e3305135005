"""Overdue replies: the daily sweep marks an issued letter past its reply day overdue (system, audited, in the
history), the recipient's to-do list shows it apart, a late reply is counted late; `stats.replies` counts per
recipient what the assessment reads and `stats.issued` what the bulletin writes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from anquan.core.models import AuditEntry
from anquan.core.todo import items_for
from anquan.letters import services, stats
from anquan.letters.choices import LetterStatus
from anquan.letters.models import Letter
from anquan.orgs.models import Department
from anquan.sweep.services import sweep

from .conftest import LIANXI, XIUSHUI, raw

pytestmark = pytest.mark.django_db


def _past_due(letter: Letter, days: int) -> None:
    """The letter as if issued earlier with a due day `days` ago (no page accepts a past due day)."""
    Letter.objects.filter(pk=letter.pk).update(
        reply_due=timezone.localdate() - dt.timedelta(days=days),
        issued_on=timezone.localdate() - dt.timedelta(days=days + 10),
    )


def test_the_sweep_marks_overdue_and_stats_count_it(world):
    city = world.users["city_office"]
    today = timezone.localdate()
    on_time = services.create_letter(raw(), actor=city, issue=True)
    late = services.create_letter(raw(subject="落实防汛责任"), actor=city, issue=True)
    unanswered = services.create_letter(raw(subject="开展燃气安全排查"), actor=city, issue=True)
    waiting = services.create_letter(raw(recipient_region=LIANXI, kind="reminder"), actor=city, issue=True)
    emergency = Department.objects.get(name="应急管理局")
    to_department = services.create_letter(
        raw(recipient_region=LIANXI, recipient_department=emergency.name), actor=city, issue=True
    )
    services.create_letter(raw(subject="草稿不计"), actor=city)  # a draft counts nowhere

    xiushui = world.users["county_office_b"]
    services.transition(on_time, "reply", actor=xiushui, reply="已按期整改")
    _past_due(late, 2)
    _past_due(unanswered, 1)

    result = sweep()
    assert result.failed == []
    statuses = dict(Letter.objects.values_list("pk", "status"))
    assert statuses[late.pk] == statuses[unanswered.pk] == LetterStatus.OVERDUE
    assert statuses[waiting.pk] == statuses[to_department.pk] == LetterStatus.ISSUED
    assert statuses[on_time.pk] == LetterStatus.REPLIED
    event = unanswered.events.get(action="mark_overdue")
    assert event.actor is None and event.to_status == "overdue"
    assert AuditEntry.objects.filter(
        model="letters.letter", object_id=str(unanswered.pk), comment__contains="逾期"
    ).exists()
    assert sweep().failed == [] and unanswered.events.filter(action="mark_overdue").count() == 1  # once only

    todo = {i.kind: i.count for i in items_for(xiushui)}
    assert todo["letters.reply_overdue"] == 2 and "letters.reply" not in todo
    assert {i.kind: i.count for i in items_for(city)}["letters.issued_overdue"] == 2

    services.transition(Letter.objects.get(pk=late.pk), "reply", actor=xiushui, reply="迟复：已落实")
    late.refresh_from_db()
    assert late.status == LetterStatus.REPLIED and late.events.get(action="reply").data["late"] is True

    start, end = today.replace(month=1, day=1), today
    figures = stats.replies("3604", start, end)
    assert figures[(XIUSHUI, None)] == {"received": 3, "replied_on_time": 1, "replied_late": 1, "overdue": 1}
    assert figures[(LIANXI, None)] == {"received": 1, "replied_on_time": 0, "replied_late": 0, "overdue": 0}
    assert figures[(LIANXI, emergency.pk)] == {
        "received": 1,
        "replied_on_time": 0,
        "replied_late": 0,
        "overdue": 0,
    }
    assert set(stats.replies(XIUSHUI, start, end)) == {(XIUSHUI, None)}

    issued = stats.issued("360400", start, end)
    assert issued == {"reminder": 1, "supervision": 4, "interview": 0}
    assert stats.sentence(issued) == "发出工作提示函1份、督办函4份"
    assert stats.issued("360400", end + dt.timedelta(days=1), end + dt.timedelta(days=2))["supervision"] == 0
