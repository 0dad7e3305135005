"""Each automatic criterion against a figure worked out by hand from rows made here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anquan.assessments import criteria, services
from anquan.assessments.choices import SubjectLevel
from anquan.campaigns.models import Dispatch, TaskReport

from .data import END, START, campaign, hazard, regions, seed_tie, task

pytestmark = pytest.mark.django_db
D = dt.date


def context(city, level=SubjectLevel.CHILD_REGIONS):
    return criteria.Context(
        city, START, END, services.subjects_of(city, level), departments=level == SubjectLevel.DEPARTMENTS
    )


def test_tasks_and_letters_on_time(world):
    data = seed_tie(world)
    ctx = context(data["360400"])
    tasks = criteria.tasks_on_time(ctx)
    assert tasks["360402"].value == Decimal("100.0")
    assert tasks["360424"].value == Decimal("0.0")  # done three days after the deadline
    assert tasks["360403"].value is None and tasks["360403"].figure == "暂无数据"
    letters = criteria.letters_on_time(ctx)
    assert letters["360402"].figure == "按期回复0/应回复1（0.0%）"
    assert letters["360424"].value == Decimal("100.0")


def test_hazards_on_time_and_major_overdue(world):
    city = regions()["360400"]
    lianxi = world.chem_t1
    hazard(lianxi, "general", D(2025, 3, 31), D(2025, 3, 31))  # on the day: on time
    hazard(lianxi, "general", D(2025, 4, 30), D(2025, 5, 6))  # late
    hazard(lianxi, "major", D(2025, 6, 30), None)  # still open: late and overdue
    hazard(lianxi, "major", D(2025, 7, 31), D(2025, 8, 2))  # accepted late: overdue
    hazard(lianxi, "major", D(2026, 1, 31), None)  # due after the period
    hazard(world.chem_xiushui, "major", D(2025, 2, 28), D(2025, 2, 1))
    ctx = context(city)
    on_time = criteria.hazards_on_time(ctx)
    assert on_time["360402"].figure == "按期整改1/应整改4（25.0%）"
    assert on_time["360424"].value == Decimal("100.0")
    overdue = criteria.major_overdue(ctx)
    assert (overdue["360402"].value, overdue["360424"].value, overdue["360403"].value) == (2, 0, 0)


def test_dispatch_reports_on_time(world):
    r = regions()
    camp = campaign(r["360400"])
    line = task(camp, r["360400"], D(2025, 12, 31), None)
    ours = task(camp, r["360402"], D(2025, 12, 31), None, parent=line)
    ours2 = task(camp, r["360402"], D(2025, 12, 31), None, parent=line)
    theirs = task(camp, r["360424"], D(2025, 12, 31), None, parent=line)
    june = Dispatch.objects.create(
        campaign=camp,
        title="2025年6月调度",
        period=D(2025, 6, 1),
        opens_on=D(2025, 6, 25),
        due_on=D(2025, 6, 30),
    )
    july = Dispatch.objects.create(
        campaign=camp,
        title="2025年7月调度",
        period=D(2025, 7, 1),
        opens_on=D(2025, 7, 25),
        due_on=D(2025, 7, 31),
    )
    for dispatch, t, late in (
        (june, ours, False),
        (june, ours2, True),
        (july, ours, False),
        (june, theirs, False),
    ):
        TaskReport.objects.create(task=t, dispatch=dispatch, text="进展", late=late)
    # 濂溪: 4 expected (2 tasks × 2 dispatches), on time 2 (June ours, July ours); ours2 late in June, missing in July
    # 修水: 2 expected, 1 on time (July missing)
    readings = criteria.dispatch_on_time(context(r["360400"]))
    assert readings["360402"].figure == "按时报送2/应报送4（50.0%）"
    assert readings["360424"].value == Decimal("50.0")


def test_risk_report_coverage(world):
    city = regions()["360400"]
    ctx = context(city)
    coverage = criteria.risk_report_coverage(ctx)
    assert coverage["360402"].figure == "已报告0/应报告3（0.0%）"  # three enterprises in 濂溪, none reported
    assert coverage["360403"].value is None  # none to report


def test_alarms_acknowledged_within_their_level_s_minutes(world):
    """monitoring.operation's defaults: red 5 min, yellow 30, blue 60 to acknowledge."""
    from anquan.monitoring.models import Alarm, MonitoringPoint

    enterprise = world.chem_t1  # 濂溪区
    point = MonitoringPoint.objects.create(
        enterprise=enterprise,
        region_code=enterprise.region_code,
        supervising_department_id=enterprise.supervising_department_id,
        device_id="GT-ASSESS-1",
        name="可燃气体探测器",
        kind="combustible_gas",
        unit="%LEL",
        high=25,
    )
    tz = dt.timezone(dt.timedelta(hours=8))

    def alarm(level, raised, acknowledged_after=None):
        raised_at = dt.datetime(*raised, tzinfo=tz)
        Alarm.objects.create(
            point=point,
            enterprise=enterprise,
            region_code=point.region_code,
            supervising_department=point.supervising_department,
            kind="high",
            level=level,
            status="acknowledged" if acknowledged_after else "raised",
            message="测试报警",
            started_at=raised_at,
            raised_at=raised_at,
            acknowledged_at=raised_at + acknowledged_after if acknowledged_after else None,
        )

    minutes = dt.timedelta(minutes=1)
    alarm("red", (2025, 3, 1, 10, 0), 4 * minutes)  # in time
    alarm("red", (2025, 3, 2, 10, 0), 6 * minutes)  # late
    alarm("yellow", (2025, 3, 3, 10, 0))  # never acknowledged: due, not done
    alarm("blue", (2025, 3, 4, 10, 0), 59 * minutes)  # in time
    alarm("red", (2024, 12, 31, 23, 0), 1 * minutes)  # before the period (Beijing time)
    alarm("red", (2026, 1, 1, 0, 30), 1 * minutes)  # after it
    readings = criteria.alarm_disposal(context(regions()["360400"]))
    assert readings["360402"].figure == "按时确认2/应确认4（50.0%）"
    assert readings["360402"].value == Decimal("50.0")
    assert readings["360424"].value is None  # no alarm: no data, not 0 %


def test_special_workers_holding_a_certificate_on_the_period_s_last_day(world):
    """特种作业人员100%持证上岗: counted on 2025-12-31 among the workers employed that day."""
    from anquan.personnel.choices import Post
    from tests.personnel.helpers import certificate, person

    held = person(world.chem_t1, "持证焊工", Post.SPECIAL_WORKER)
    certificate(held, "2024-01-01", "2030-01-01")
    lapsed = person(world.chem_t1, "证书昨日过期的电工", Post.SPECIAL_WORKER)
    certificate(lapsed, "2019-12-30", "2025-12-30")
    person(world.chem_t1, "无证叉车司机", Post.SPECIAL_WORKER)
    person(world.chem_t1, "已离职电工", Post.SPECIAL_WORKER, left_on=D(2025, 11, 30))  # not counted
    person(world.build_t1, "主要负责人", Post.PRINCIPAL)  # not a special-operation worker
    certificate(person(world.chem_xiushui, "修水持证电工", Post.SPECIAL_WORKER), "2025-06-01", "2031-06-01")
    readings = criteria.certificates_held(context(regions()["360400"]))
    assert readings["360402"].figure == "持证1/在岗特种作业人员3（33.3%）"
    assert readings["360424"].value == Decimal("100.0")
    assert readings["360403"].value is None  # no special-operation worker registered: no data


def test_the_2027_example_scheme_scores_certificates_and_still_totals_100():
    from anquan.assessments.rules import JIUJIANG_COUNTIES, JIUJIANG_COUNTIES_2027, Scheme

    for values in (JIUJIANG_COUNTIES, JIUJIANG_COUNTIES_2027):
        assert sum(c.max_points for c in Scheme.model_validate(values).criteria) == 100
    assert (
        Scheme.model_validate(JIUJIANG_COUNTIES_2027).criterion("certificates").metric == "certificates_held"
    )


def test_an_assessment_reads_its_figures_in_a_fixed_number_of_queries(world):
    from anquan.assessments.rules import JIUJIANG_COUNTIES, JIUJIANG_COUNTIES_2027, Scheme

    data = seed_tie(world)
    metrics = {
        c.metric
        for values in (JIUJIANG_COUNTIES, JIUJIANG_COUNTIES_2027)
        for c in Scheme.model_validate(values).criteria
        if c.metric
    }
    with CaptureQueriesContext(connection) as few:
        criteria.read_all(context(data["360400"]), metrics)
    seeded = len(few)
    world_more = regions()
    task(data["campaign"], world_more["360403"], D(2025, 5, 1), D(2025, 4, 1), parent=data["line"])
    with CaptureQueriesContext(connection) as more:
        criteria.read_all(context(data["360400"]), metrics)
    assert len(more) == seeded  # not one more query for one more county with data
