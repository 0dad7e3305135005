"""Working-day deadlines by the statutory calendar, and the overdue sweep on a controlled clock."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.accounts.services import create_user
from anquan.core.models import Notification
from anquan.core.workdays import add_working_days
from anquan.hazards import actions
from anquan.hazards import services as reporting
from anquan.sweep.services import sweep

from ..conftest import PASSWORD
from .conftest import NOW, chemical_item, inspected


def test_ten_working_days_from_28_september_2026_land_after_national_day():
    # Start day (Mon 28 Sep) not counted. Working days: 29, 30 Sep; 1–7 Oct are the National Day holiday;
    # 8, 9 Oct; Sat 10 Oct is a make-up working day of the 2026 arrangement; 12–16 Oct → the 10th is 16 Oct.
    assert add_working_days(dt.date(2026, 9, 28), 10) == dt.date(2026, 10, 16)


def test_weekends_are_skipped_and_make_up_saturdays_count():
    assert add_working_days(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Friday → Monday
    assert add_working_days(dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)  # make-up working Saturday


def at(day: dt.date, hour=8) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.mark.django_db
def test_assign_with_working_days_sets_the_statutory_deadline(world):
    manager = world.users["enterprise_manager"]
    hazard = reporting.report_hazard(
        {"description": "灭火器过期"}, actor=manager, now=at(dt.date(2026, 9, 28))
    )
    hazard = actions.transition(
        hazard,
        "assign",
        actor=manager,
        now=at(dt.date(2026, 9, 28)),
        responsible_party="仓库 李四",
        deadline_working_days=10,
    )
    assert hazard.deadline == dt.date(2026, 10, 16)
    assert hazard.deadline_basis == "2026-09-28起10个工作日"


@pytest.mark.django_db
def test_sweep_reminds_marks_overdue_and_escalates_major_hazards(world):
    manager = world.users["enterprise_manager"]
    city_official = world.users["city_office"]
    city_emergency = create_user(
        actor=None,
        username="city_yjj",
        role="department_supervisor",
        password=PASSWORD,
        region_code="360400",
        department_name="应急管理局",
    )
    city_housing = create_user(
        actor=None,
        username="city_zjj",
        role="department_supervisor",
        password=PASSWORD,
        region_code="360400",
        department_name="住建局",
    )
    general = reporting.report_hazard({"description": "一般隐患"}, actor=manager, now=NOW)
    actions.transition(
        general, "assign", actor=manager, now=NOW, responsible_party="甲", deadline="2026-12-04"
    )
    major = reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "description": "重大隐患",
            "judgement_item": chemical_item(5).pk,
        },
        actor=world.users["inspector"],
        now=NOW,
    )
    actions.transition(
        major,
        "assign",
        actor=world.users["inspector"],
        now=NOW,
        responsible_party="乙",
        measures="加装紧急切断",
        funds_yuan="50000",
        contingency_plan="预案",
        deadline="2026-12-04",
    )

    def titles(user):
        return sorted(n.title for n in Notification.objects.filter(user=user))

    # Fri 4 Dec is the deadline; 3 working days before it is Tue 1 Dec
    assert sweep(at(dt.date(2026, 11, 30))).reminded == []
    result = sweep(at(dt.date(2026, 12, 1)))
    assert sorted(result.reminded) == sorted([general.pk, major.pk])
    assert sweep(at(dt.date(2026, 12, 1), 15)).reminded == []  # a second run the same day sends nothing again
    assert sum("还有3个工作日" in t for t in titles(manager)) == 2

    assert sorted(sweep(at(dt.date(2026, 12, 4))).due_today) == sorted([general.pk, major.pk])
    assert sum("今天是整改期限" in t for t in titles(manager)) == 2

    result = sweep(at(dt.date(2026, 12, 5)))
    assert sorted(result.marked_overdue) == sorted([general.pk, major.pk])
    assert result.escalated == [major.pk]  # only the major hazard goes to the level above
    general.refresh_from_db()
    major.refresh_from_db()
    assert general.overdue and major.overdue and major.escalated_at is not None
    assert [e.action for e in major.events.all()][-2:] == ["mark_overdue", "escalate"]
    assert any("重大事故隐患逾期未整改" in t for t in titles(city_official))
    assert any("重大事故隐患逾期未整改" in t for t in titles(city_emergency))
    assert titles(city_housing) == []  # another department's supervisor is not told

    again = sweep(at(dt.date(2026, 12, 6)))
    assert again.marked_overdue == [] and again.escalated == []
    assert sum("重大事故隐患逾期未整改" in t for t in titles(city_official)) == 1


@pytest.mark.django_db
def test_granted_extension_clears_overdue(world):
    manager = world.users["enterprise_manager"]
    hazard = inspected(world, deadline="2026-12-04")
    sweep(at(dt.date(2026, 12, 7)))
    hazard.refresh_from_db()
    assert hazard.overdue
    later = at(dt.date(2026, 12, 7), 9)
    actions.transition(
        hazard, "request_extension", actor=manager, now=later, until="2026-12-20", reason="备件"
    )
    hazard = actions.transition(
        hazard, "grant_extension", actor=world.users["emergency_supervisor"], now=later
    )
    assert not hazard.overdue and hazard.deadline == dt.date(2026, 12, 20)


def test_a_year_without_a_published_arrangement_counts_monday_to_friday():
    from anquan.core import workdays

    unknown_year = 2099
    assert not workdays.calendar_known(unknown_year)
    assert add_working_days(dt.date(unknown_year, 1, 2), 5) == dt.date(unknown_year, 1, 9)  # Fri → next Fri


@pytest.mark.django_db
def test_listed_hazard_owes_progress_reports(world):
    from anquan.hazards import listing

    inspector, manager = world.users["inspector"], world.users["enterprise_manager"]
    hazard = reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "source": "inspection",
            "description": "x",
            "judgement_item": chemical_item(7).pk,
        },
        actor=inspector,
        now=NOW,
    )
    actions.transition(
        hazard,
        "assign",
        actor=inspector,
        now=NOW,
        responsible_party="甲",
        measures="m",
        funds_yuan="1",
        contingency_plan="p",
        deadline="2027-03-31",
    )
    listing.list_hazard(
        hazard,
        actor=world.users["county_office"],
        level="county",
        authority="濂溪区安委会",
        document_no="濂安督〔2026〕9号",
        deadline="2027-03-31",
        report_every_days=14,
        now=NOW,
    )
    assert sweep(NOW + dt.timedelta(days=13)).progress_due == []
    assert sweep(NOW + dt.timedelta(days=14)).progress_due == [hazard.pk]
    assert sweep(NOW + dt.timedelta(days=15)).progress_due == []  # told once per due date
    listing.report_progress(hazard, "已完成设计", actor=manager, now=NOW + dt.timedelta(days=15))
    assert sweep(NOW + dt.timedelta(days=28)).progress_due == []  # next report due 14 days after the last one
    assert sweep(NOW + dt.timedelta(days=29)).progress_due == [hazard.pk]


@pytest.mark.django_db
def test_sweep_command_reports_what_it_did(world, capsys):
    from django.core.management import call_command

    call_command("sweep")
    out = capsys.readouterr().out
    assert out.startswith("hazards: reminded 0") and "check tasks: created 0, missed 0" in out
