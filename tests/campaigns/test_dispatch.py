"""Monthly dispatches (调度) and the units' progress reports (anquan/campaigns/dispatching.py): who must report,
late and missing reports on the sheet, idempotent and corrected reports, reminders audited, the close and the
on-time figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from anquan.accounts.services import create_user
from anquan.campaigns import dispatching
from anquan.campaigns.choices import CampaignStatus, DispatchStatus, TaskStatus
from anquan.campaigns.models import Campaign, Reminder, Target, Task, TaskReport
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.orgs.models import Department
from anquan.regions.models import Region

from ..conftest import PASSWORD
from ..live.conftest import PNG

pytestmark = pytest.mark.django_db


@dataclass
class Plan:
    """A city campaign with one line fanned out to five units: 濂溪区, 修水县, 浔阳区 (governments) and 濂溪区's
    应急管理局 and 住建局; a second line verified done in 濂溪区."""

    campaign: Campaign
    line: Task
    lianxi: Task  # 濂溪区人民政府 (county_office)
    xiushui: Task  # 修水县人民政府 (county_office_b)
    xunyang: Task  # 浔阳区人民政府 (xunyang_office, made here)
    emergency: Task  # 濂溪区应急管理局 (emergency_supervisor)
    housing: Task  # 濂溪区住建局 (housing_supervisor)
    done: Task  # verified done: expected no more
    target: Target  # of lianxi's task: 培训人次


def plan(world) -> Plan:
    """The campaign, its tasks and a user for 浔阳区 (username xunyang)."""
    city = Region.objects.get(code="360400")
    lianxi, xiushui, xunyang = (Region.objects.get(code=c) for c in ("360402", "360424", "360403"))
    if not world.users.get("xunyang_office"):
        world.users["xunyang_office"] = create_user(
            actor=None, username="xunyang", role="county_office", password=PASSWORD, region_code="360403"
        )
    emergency, housing = Department.objects.get(name="应急管理局"), Department.objects.get(name="住建局")
    campaign = Campaign.objects.create(
        region=city,
        name="安全生产治本攻坚三年行动",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        status=CampaignStatus.ACTIVE,
    )
    line = Task.objects.create(
        campaign=campaign, number="1", title="开展重大事故隐患专项排查整治", region=city, order=1
    )

    def sub(region, department=None, **kw):
        return Task.objects.create(
            campaign=campaign,
            parent=line,
            number="1",
            title=line.title,
            region=region,
            department=department,
            **kw,
        )

    tasks = {
        "lianxi": sub(lianxi),
        "xiushui": sub(xiushui),
        "xunyang": sub(xunyang),
        "emergency": sub(lianxi, emergency),
        "housing": sub(lianxi, housing),
    }
    other = Task.objects.create(campaign=campaign, number="2", title="安全培训全覆盖", region=city, order=2)
    done = Task.objects.create(
        campaign=campaign,
        parent=other,
        number="2",
        title=other.title,
        region=lianxi,
        status=TaskStatus.VERIFIED_DONE,
    )
    target = Target.objects.create(
        task=tasks["lianxi"], name="培训人次", unit="人次", planned=Decimal("1500")
    )
    return Plan(campaign, line, done=done, target=target, **tasks)


def opened(world, p: Plan, *, due_in: int = 5):
    today = timezone.localdate()
    return dispatching.open_dispatch(
        p.campaign,
        period=today,
        opens_on=today - dt.timedelta(days=10),
        due_on=today + dt.timedelta(days=due_in),
        actor=world.users["city_office"],
    )


def png(name="现场.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def report(world, p, dispatch, persona, task, text="已完成排查", **kw):
    return dispatching.submit_report(
        task,
        dispatch,
        text=text,
        actuals=kw.pop("actuals", {}),
        files=kw.pop("files", []),
        done=kw.pop("done", False),
        actor=world.users[persona],
        **kw,
    )


def test_a_monthly_dispatch_lists_exactly_the_two_late_units_and_the_missing_ones(world):
    p = plan(world)
    dispatch = opened(world, p, due_in=-3)  # the reports were due three days ago
    before_due = timezone.now() - dt.timedelta(days=5)
    assert set(dispatching.expected(dispatch)) == {p.lianxi, p.xiushui, p.xunyang, p.emergency, p.housing}

    report(world, p, dispatch, "emergency_supervisor", p.emergency, now=before_due)  # on time
    report(world, p, dispatch, "county_office", p.lianxi)  # late
    report(world, p, dispatch, "county_office_b", p.xiushui)  # late
    rows = dispatching.sheet(dispatch, world.users["city_office"])
    by_state = {state: {r.unit for r in rows if r.state == state} for state in ("on_time", "late", "missing")}
    assert by_state == {
        "on_time": {"濂溪区应急管理局"},
        "late": {"濂溪区人民政府", "修水县人民政府"},
        "missing": {"浔阳区人民政府", "濂溪区住建局"},
    }
    assert {r.unit for r in dispatching.sheet(dispatch, world.users["city_office"], "late")} == by_state[
        "late"
    ]
    assert TaskReport.objects.get(task=p.lianxi).late and not TaskReport.objects.get(task=p.emergency).late

    closed = dispatching.close(dispatch, actor=world.users["city_office"])
    assert closed.status == DispatchStatus.CLOSED
    p.lianxi.status = TaskStatus.VERIFIED_DONE  # verified later: the closed dispatch's sheet does not move
    p.lianxi.save()
    assert dispatching.counts(dispatching.sheet(closed, world.users["city_office"])) == {
        "on_time": 1,
        "late": 2,
        "missing": 2,
    }
    figures = dispatching.on_time("3604", timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    emergency = Department.objects.get(name="应急管理局").pk
    assert figures[("360402", None)] == {"expected": 1, "on_time": 0, "late": 1, "missing": 0}
    assert figures[("360402", emergency)] == {"expected": 1, "on_time": 1, "late": 0, "missing": 0}
    assert figures[("360403", None)] == {"expected": 1, "on_time": 0, "late": 0, "missing": 1}
    assert ("360424", None) not in dispatching.on_time("360402", dt.date(2020, 1, 1), timezone.localdate())


def test_a_report_starts_the_task_and_done_reports_it_done(world):
    p = plan(world)
    dispatch = opened(world, p)
    first, wrote = report(world, p, dispatch, "county_office", p.lianxi, actuals={str(p.target.pk): "800"})
    p.lianxi.refresh_from_db()
    p.target.refresh_from_db()
    assert wrote and p.lianxi.status == TaskStatus.IN_PROGRESS and p.target.actual == 800
    corrected, wrote = report(
        world,
        p,
        dispatch,
        "county_office",
        p.lianxi,
        text="已全部完成",
        actuals={str(p.target.pk): "1500"},
        done=True,
    )
    p.lianxi.refresh_from_db()
    assert wrote and corrected.pk == first.pk and corrected.text == "已全部完成"
    assert p.lianxi.status == TaskStatus.REPORTED_DONE and p.lianxi.done_on == timezone.localdate()
    assert TaskReport.objects.filter(task=p.lianxi).count() == 1
    assert AuditEntry.objects.filter(comment__startswith="更正进度报告").count() == 1


def test_the_same_submission_twice_writes_nothing_more(world):
    p = plan(world)
    dispatch = opened(world, p)
    report(world, p, dispatch, "county_office", p.lianxi, files=[png()])
    entries = AuditEntry.objects.count()
    again, wrote = report(world, p, dispatch, "county_office", p.lianxi, files=[png()])
    assert not wrote and AuditEntry.objects.count() == entries
    assert again.attachments.count() == 1 and TaskReport.objects.count() == 1


def test_after_the_due_day_a_report_is_late_and_stands(world):
    p = plan(world)
    dispatch = opened(world, p, due_in=-1)
    report(world, p, dispatch, "county_office", p.lianxi)
    with pytest.raises(Conflict) as refused:
        report(world, p, dispatch, "county_office", p.lianxi, text="改一改")
    assert refused.value.message == "已过报送截止日期，已报送的进度不能再修改"


def test_bad_reports_are_refused_field_by_field_in_chinese(world, settings):
    p = plan(world)
    dispatch = opened(world, p)
    settings.MAX_UPLOAD_BYTES = 200
    big = SimpleUploadedFile("大.png", PNG + b"\0" * 300, content_type="image/png")
    with pytest.raises(ValidationFailed) as refused:
        report(
            world,
            p,
            dispatch,
            "county_office",
            p.lianxi,
            text=" ",
            actuals={str(p.target.pk): "八百"},
            files=[SimpleUploadedFile("a.exe", b"MZ"), big],
        )
    messages = {(e.field, e.message) for e in refused.value.errors}
    assert messages == {
        ("text", "进展情况不能为空"),
        (f"actual_{p.target.pk}", "培训人次应为数字"),
        ("file", "只能上传照片（JPG、PNG、WebP、HEIC）或PDF、Word、Excel文件"),
        ("file", "文件超过0MB"),
    }
    assert not TaskReport.objects.exists()


def test_only_the_tasks_unit_reports_and_another_county_meets_404(world):
    p = plan(world)
    dispatch = opened(world, p)
    with pytest.raises(Http404):
        report(world, p, dispatch, "county_office_b", p.lianxi)
    with pytest.raises(NotPermitted):
        report(world, p, dispatch, "county_office", p.emergency)  # the county's own department reports that
    with pytest.raises(Conflict):
        report(world, p, dispatch, "county_office", p.done)  # verified done: nothing expected
    with pytest.raises(Http404):
        dispatching.remind(dispatch, [p.lianxi], message="", actor=world.users["county_office"])


def test_reminders_are_rows_and_audit_entries_and_only_for_missing_reports(world):
    p = plan(world)
    dispatch = opened(world, p)
    report(world, p, dispatch, "county_office", p.lianxi)
    with pytest.raises(ValidationFailed) as refused:
        dispatching.remind(dispatch, [p.lianxi], message="请报送", actor=world.users["city_office"])
    assert refused.value.errors[0].field == "tasks"
    sent = dispatching.remind(
        dispatch, [p.xiushui, p.xunyang], message="请于本周内报送", actor=world.users["city_office"]
    )
    assert {r.task for r in sent} == {p.xiushui, p.xunyang}
    entries = AuditEntry.objects.filter(model="campaigns.reminder").order_by("id")
    assert [(e.object_id, e.comment) for e in entries] == [
        (str(r.pk), f"催报：{r.task.title}（请于本周内报送）") for r in sent
    ]
    assert Reminder.objects.filter(task=p.xiushui).get().sent_by == world.users["city_office"]


def test_one_dispatch_per_campaign_and_month(world):
    p = plan(world)
    opened(world, p)
    with pytest.raises(Conflict):
        opened(world, p)
    county = Campaign.objects.create(
        region=Region.objects.get(code="360402"),
        name="濂溪区百日行动",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 4, 10),
    )
    with pytest.raises(
        NotPermitted
    ):  # a department sees the county's campaign but does not run its dispatches
        dispatching.open_dispatch(
            county,
            period=dt.date(2026, 1, 1),
            opens_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 1, 5),
            actor=world.users["emergency_supervisor"],
        )


def test_the_sweep_closes_a_dispatch_a_week_after_its_due_day(world):
    p = plan(world)
    dispatch = opened(world, p, due_in=-8)
    from anquan.sweep.services import sweep

    assert sweep().failed == []
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.CLOSED
    event = dispatch.events.get(action="close")
    assert event.actor_label == "系统" and event.data["missing"] == sorted(
        [p.lianxi.pk, p.xiushui.pk, p.xunyang.pk, p.emergency.pk, p.housing.pk]
    )
    assert dispatching.close_due(timezone.localdate()) == []  # closed once
