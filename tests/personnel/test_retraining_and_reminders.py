"""The retraining flag after a fatal accident, and the certificate reminders in the to-do centre."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from anquan.accidents.grading import grade
from anquan.accidents.models import Accident, AccidentCategory
from anquan.core.todo import items_for
from anquan.personnel.choices import Post
from anquan.personnel.models import Person
from anquan.personnel.retraining import flagged

from ..conftest import login
from .helpers import certificate, person, training


def _fatal(enterprise, day: dt.date) -> Accident:
    return Accident.objects.create(
        occurred_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 10)),
        region=enterprise.region,
        region_code=enterprise.region_code,
        enterprise=enterprise,
        address="罐区",
        summary="中毒窒息",
        category=AccidentCategory.objects.get(edition="1986", code="01"),
        deaths=1,
        direct_loss_yuan=Decimal("0"),
        grade=grade(1, 0, 0).grade,
    )


def test_managers_trained_before_a_fatal_accident_are_flagged_with_it(world):
    before = person(world.chem_t1, "事故前培训", Post.PRINCIPAL)
    training(before, "2026-01-10", 48)
    after = person(world.chem_t1, "事故后已重训", Post.SAFETY_MANAGER)
    training(after, "2026-05-10", 48)
    worker = person(world.chem_t1, "一线工人", Post.SPECIAL_WORKER)
    elsewhere = person(world.chem_t2, "别家负责人", Post.PRINCIPAL)
    accident = _fatal(world.chem_t1, dt.date(2026, 3, 1))
    assert flagged(Person.objects.all()) == {before.pk: accident}
    assert worker.pk not in flagged(Person.objects.all()) and elsewhere.pk not in flagged(
        Person.objects.all()
    )
    page = login(world.users["county_office"])
    assert "retraining-flag" in page.get(f"/personnel/{before.pk}/").content.decode()


def test_expiring_and_overdue_certificates_wait_in_the_managers_todo(world):
    today = timezone.localdate()
    w = person(world.chem_t1, "将到期", Post.SPECIAL_WORKER)
    issued = today.replace(year=today.year - 6) + dt.timedelta(days=30)
    certificate(w, issued.isoformat(), (today + dt.timedelta(days=29)).isoformat(), job="5.1")
    old = person(world.chem_t1, "已过期", Post.SPECIAL_WORKER)
    certificate(old, "2019-01-01", (today - dt.timedelta(days=1)).isoformat(), job="5.1")
    mine = {i.kind: i.count for i in items_for(world.users["enterprise_manager"])}
    assert mine["personnel.due"] == 1 and mine["personnel.overdue"] == 1
    department = {i.kind: i.count for i in items_for(world.users["emergency_supervisor"])}
    assert department["personnel.due"] == 1 and department["personnel.overdue"] == 1
    assert not any(i.kind.startswith("personnel.") for i in items_for(world.users["housing_supervisor"]))
