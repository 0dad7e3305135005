"""Task lists: fan-out of a line to its units, roll-up of sub-tasks, the workflow's who/when, overdue by the sweep."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from anquan.campaigns import services
from anquan.campaigns.models import Task, TaskEvent
from anquan.campaigns.workflow import rolled_status
from anquan.core.errors import Conflict, NotPermitted
from anquan.core.models import AuditEntry
from anquan.orgs.models import Department
from anquan.regions.models import Region
from anquan.sweep.services import sweep

from .helpers import city_campaign, committee, counties_task

pytestmark = pytest.mark.django_db


def test_a_line_for_the_counties_becomes_one_subtask_per_county_and_one_for_the_lead(world):
    campaign = city_campaign(world)
    line = counties_task(campaign, world)
    counties = list(Region.objects.filter(parent__code="360400").order_by("code"))
    subs = list(line.subtasks.order_by("region__code", "department_id"))
    assert len(counties) > 5
    assert len(subs) == len(counties) + 1  # + 九江市应急管理局, the lead
    assert {s.region_id for s in subs if s.department_id is None} == {c.pk for c in counties}
    lead = next(s for s in subs if s.department_id)
    assert lead.unit_label == "九江市应急管理局" and lead.region.code == "360400"
    assert {s.unit_label for s in subs} >= {"濂溪区人民政府", "修水县人民政府"}
    assert line.unit_label == "市应急管理局" and line.department.name == "应急管理局"
    assert AuditEntry.objects.filter(
        model="campaigns.task", object_id__in=[str(s.pk) for s in subs]
    ).count() == len(subs)


def test_members_fan_out_to_the_committees_member_departments_and_unrecognised_units_wait(world):
    committee("360400", "应急管理局", "住建局", "交通运输局")
    campaign = city_campaign(world)
    line = services.create_task(
        campaign,
        number="2",
        title="落实安全生产责任制",
        units=[
            {"role": "share", "text": "市直有关部门", "kind": "members", "region": None, "department": None},
            {
                "role": "jointly",
                "text": "市委宣传部",
                "kind": "unrecognised",
                "region": None,
                "department": None,
            },
            {
                "role": "organise",
                "text": "市安委会",
                "kind": "region",
                "region": campaign.region,
                "department": None,
            },
        ],
        actor=world.users["city_office"],
    )
    labels = sorted(line.subtasks.values_list("unit_label", flat=True))
    assert labels == sorted(["九江市应急管理局", "九江市住建局", "九江市交通运输局"])
    flagged = line.units.get(kind="unrecognised")
    # a person maps 市委宣传部 to 修水县's government (any region of the city will do for the test)
    xiushui = Region.objects.get(code="360424")
    services.remap_unit(
        flagged, kind="region", region=xiushui, department=None, actor=world.users["city_office"]
    )
    assert line.subtasks.count() == 4
    assert line.subtasks.filter(region=xiushui, department=None).exists()


def test_roll_up_rule():
    assert rolled_status([]) == "assigned"
    assert rolled_status(["assigned", "assigned"]) == "assigned"
    assert rolled_status(["assigned", "in_progress"]) == "in_progress"
    assert rolled_status(["reported_done", "verified_done"]) == "reported_done"
    assert rolled_status(["verified_done", "overdue"]) == "overdue"
    assert rolled_status(["verified_done", "verified_done"]) == "verified_done"
    assert rolled_status(["verified_done", "assigned"]) == "in_progress"


def _sub(line, code, department=None):
    return line.subtasks.get(region__code=code, department=department)


def test_units_act_on_their_own_subtasks_and_the_city_office_verifies(world):
    campaign = city_campaign(world)
    line = counties_task(campaign, world)
    lianxi = _sub(line, "360402")
    with pytest.raises(Http404):  # another county's sub-task
        services.task_transition(lianxi, "start", actor=world.users["county_office_b"])
    with pytest.raises(Http404):  # the county's 应急管理局 does not see the county government's sub-task
        services.task_transition(lianxi, "start", actor=world.users["emergency_supervisor"])
    with pytest.raises(NotPermitted):  # the city office sees it but is not the unit
        services.task_transition(lianxi, "start", actor=world.users["city_office"])
    with pytest.raises(Conflict) as line_refused:  # a line with sub-tasks rolls up, nobody sets it
        services.task_transition(line, "start", actor=world.users["city_office"])
    assert line_refused.value.code == "has_subtasks"
    stale = Task.objects.get(pk=lianxi.pk)
    lianxi = services.task_transition(lianxi, "start", actor=world.users["county_office"])
    with pytest.raises(Conflict) as refused:  # the same step again from a stale read
        services.task_transition(stale, "start", actor=world.users["county_office"])
    assert refused.value.code == "stale"
    line.refresh_from_db()
    assert lianxi.status == "in_progress" and line.status == "in_progress"
    lianxi = services.task_transition(
        lianxi, "report_done", actor=world.users["county_office"], comment="已完成"
    )
    assert lianxi.done_on == timezone.localdate()
    with pytest.raises(NotPermitted):  # the county cannot verify its own report
        services.task_transition(lianxi, "verify", actor=world.users["county_office"])
    lianxi = services.task_transition(
        lianxi, "send_back", actor=world.users["city_office"], comment="材料不全"
    )
    assert lianxi.status == "in_progress" and lianxi.done_on is None
    lianxi = services.task_transition(lianxi, "report_done", actor=world.users["county_office"])
    lianxi = services.task_transition(lianxi, "verify", actor=world.users["city_office"])
    assert lianxi.status == "verified_done"
    line.refresh_from_db()
    assert line.status == "in_progress"  # the other units have not finished
    for sub in line.subtasks.exclude(pk=lianxi.pk):
        Task.objects.filter(pk=sub.pk).update(status="reported_done", done_on=dt.date(2026, 1, 5))
        sub.refresh_from_db()
        services.task_transition(sub, "verify", actor=world.users["city_office"])
    line.refresh_from_db()
    assert line.status == "verified_done" and line.verified_on == timezone.localdate()
    assert [e.action for e in TaskEvent.objects.filter(task=line)][-1] == "roll_up"
    actions = list(TaskEvent.objects.filter(task=lianxi).values_list("action", flat=True))
    assert actions == ["start", "report_done", "send_back", "report_done", "verify"]


def test_the_sweep_marks_subtasks_past_their_deadline_overdue_and_the_line_follows(world):
    campaign = city_campaign(world)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    line = counties_task(campaign, world, deadline=yesterday)
    done = _sub(line, "360402")
    Task.objects.filter(pk=done.pk).update(status="reported_done", done_on=yesterday)
    result = sweep()
    assert not result.failed
    line.refresh_from_db()
    assert line.status == "overdue"
    statuses = set(line.subtasks.exclude(pk=done.pk).values_list("status", flat=True))
    assert statuses == {"overdue"}
    assert _sub(line, "360402").status == "reported_done"  # reported in time: not overdue
    event = TaskEvent.objects.filter(task__parent=line, action="mark_overdue").first()
    assert event is not None and event.actor_label  # 系统 / 定时检查
    # sent back after its deadline, a sub-task is overdue again
    done.refresh_from_db()
    back = services.task_transition(done, "send_back", actor=world.users["city_office"], comment="未完成整改")
    assert back.status == "overdue"


def test_a_county_campaign_adopts_a_city_task_and_breaks_it_down_to_its_townships(world):
    city = city_campaign(world)
    line = counties_task(city, world)
    lianxi = Region.objects.get(code="360402")
    county = services.create_campaign(
        region=lianxi,
        raw={"name": "濂溪区治本攻坚三年行动", "starts_on": "2024-02-01", "ends_on": "2026-12-31"},
        actor=world.users["county_office"],
        parent=city,
    )
    adopted = services.adopt_task(
        line,
        county,
        units=[
            {
                "role": "implement",
                "text": "各乡镇(街道)",
                "kind": "child_regions",
                "region": None,
                "department": None,
            }
        ],
        actor=world.users["county_office"],
    )
    assert adopted.adopted_from == line and adopted.title == line.title
    assert adopted.subtasks.count() == Region.objects.filter(parent=lianxi).count()
    with pytest.raises(Conflict):
        services.adopt_task(line, county, units=[], actor=world.users["county_office"])
    emergency = Department.objects.get(name="应急管理局")
    assert not adopted.subtasks.filter(department=emergency).exists()
