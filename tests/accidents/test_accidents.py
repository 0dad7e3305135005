"""Recording accidents, the reporting chain, late reports within the art. 13 window, the investigation."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from anquan.accidents import actions
from anquan.accidents.models import Accident
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def record(world, **overrides):
    raw = {
        "occurred_at": at(2026, 10, 5, 14, 30),
        "enterprise": world.chem_t1.uscc,
        "category": "WSA10016",
        "deaths": 2,
        "serious_injuries": 1,
        "direct_loss_yuan": "800000",
        "summary": "储罐区可燃气体爆炸",
    }
    raw.update(overrides)
    return actions.report_accident(raw, actor=world.users["county_office"], now=at(2026, 10, 5, 16, 0))


def test_record_grades_and_builds_the_reporting_chain(world):
    accident = record(world)
    assert (accident.grade, accident.category.edition, accident.category.kind_1986.name) == (
        "ordinary",
        "2025",
        "其他爆炸",
    )
    assert accident.supervising_department.name == "应急管理局"
    chain = [(r.from_level, r.to_level, r.due_at) for r in accident.reports.all()]
    assert chain == [("unit", "county", at(2026, 10, 5, 15, 30)), ("county", "city", at(2026, 10, 5, 17, 30))]
    # the unit reports late (after one hour): flagged, and the county's two hours run from that report
    actions.report_up(
        accident,
        actor=world.users["county_office"],
        to_level="county",
        reported_at=at(2026, 10, 5, 15, 45),
        now=at(2026, 10, 5, 16, 0),
    )
    county, city = accident.reports.all()
    assert county.on_time is False and city.due_at == at(2026, 10, 5, 17, 45)


def test_editions_follow_the_implementation_date(world):
    with pytest.raises(ValidationFailed) as exc:
        record(world, occurred_at=at(2026, 6, 30, 9, 0), category="WSA10016")
    assert "GB 6441-1986" in exc.value.errors[0].message
    old = record(world, occurred_at=at(2026, 6, 30, 9, 0), category="18")
    assert (old.category.edition, old.category.name) == ("1986", "其他爆炸")


def test_late_death_on_day_29_regrades_and_on_day_31_is_refused(world):
    accident = record(world)  # 2 deaths: ordinary, reported up to the city
    regraded = actions.late_report(
        accident,
        actor=world.users["county_office"],
        deaths=3,
        changed_at=at(2026, 11, 3, 9, 0),
        now=at(2026, 11, 3, 10, 0),
    )  # day 29
    assert (regraded.deaths, regraded.grade) == (3, "larger")
    assert [r.to_level for r in regraded.reports.all()] == [
        "county",
        "city",
        "province",
    ]  # now up to the province
    event = regraded.events.filter(action="late_report").get()
    assert event.data["before"]["grade"] == "ordinary" and event.data["after"]["grade"] == "larger"
    with pytest.raises(Conflict) as refused:
        actions.late_report(
            regraded,
            actor=world.users["county_office"],
            deaths=4,
            changed_at=at(2026, 11, 5, 9, 0),
            now=at(2026, 11, 5, 10, 0),
        )  # day 31
    assert refused.value.code == "late_report_window_closed" and "第31日" in refused.value.message
    assert Accident.objects.get(pk=accident.pk).deaths == 3


def test_road_traffic_window_is_seven_days(world):
    accident = record(world, category="WSA10003", summary="厂外道路运输车辆侧翻")
    assert accident.window == "road_traffic"
    actions.late_report(
        accident, actor=world.users["county_office"], deaths=3, changed_at=at(2026, 10, 12, 9, 0)
    )
    with pytest.raises(Conflict):
        actions.late_report(
            accident, actor=world.users["county_office"], deaths=4, changed_at=at(2026, 10, 13, 9, 0)
        )


def test_investigation_is_due_in_60_days_and_extends_once(world):
    accident = record(world)
    office = world.users["county_office"]
    with pytest.raises(NotPermitted):
        actions.start_investigation(accident, actor=world.users["inspector"], team="x")
    accident = actions.start_investigation(accident, actor=office, team="县应急局牵头，公安、总工会参加")
    assert accident.investigation_due == dt.date(2026, 12, 4) and accident.lead_authority == "县级人民政府"
    accident = actions.extend_investigation(
        accident, actor=office, days=30, reason="技术鉴定未完成，经县政府批准"
    )
    assert accident.investigation_due == dt.date(2027, 1, 3)
    with pytest.raises(Conflict):
        actions.extend_investigation(accident, actor=office, days=10, reason="再次延长")
    with pytest.raises(ValidationFailed):
        actions.submit_report(accident, actor=office, report_text="报告")
    accident = actions.submit_report(
        accident,
        actor=office,
        report_text="调查报告全文",
        causes="违章动火",
        responsibility="企业主要负责人负有责任",
        recommended_penalties="依法处罚",
    )
    assert actions.close(accident, actor=office).status == "closed"
    assert [e.action for e in accident.events.all()] == [
        "report",
        "start_investigation",
        "extend_investigation",
        "submit_report",
        "close",
    ]


def test_api_create_walk_and_scope(world, api_token):
    headers = api_token("county_office")
    body = {
        "occurred_at": "2026-11-02T08:15:00+08:00",
        "enterprise": world.chem_t1.uscc,
        "category": "WSA10010",
        "deaths": 1,
        "summary": "检修作业高处坠落",
    }
    created = Client().post("/api/v1/accidents", body, content_type="application/json", **headers)
    assert created.status_code == 201, created.content
    accident = created.json()
    assert accident["grade"] == "ordinary" and [r["to_level"] for r in accident["reports"]] == [
        "county",
        "city",
    ]
    moved = Client().post(
        f"/api/v1/accidents/{accident['id']}/transitions",
        {"action": "late_report", "deaths": 3, "changed_at": "2026-11-03T08:00:00+08:00"},
        content_type="application/json",
        **headers,
    )
    assert moved.status_code == 200 and moved.json()["grade"] == "larger"
    assert (
        Client().get(f"/api/v1/accidents/{accident['id']}", **api_token("county_office_b")).status_code == 404
    )
    bad = Client().post(
        "/api/v1/accidents", {**body, "category": "08"}, content_type="application/json", **headers
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "category"
