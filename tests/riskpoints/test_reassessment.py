"""Re-assessment due dates: kept from the latest assessment, listed and filtered on the page and in the
API, and reminded by the sweep once before and once after the date."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from anquan.core.models import Notification
from anquan.riskpoints import services as points
from anquan.sweep.services import sweep

from ..conftest import login
from .helpers import new_point

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)  # Monday 17:00 in Beijing
TODAY = dt.date(2026, 11, 2)


def _assess(world, point, next_due, now=NOW):
    points.assess(
        point,
        {"method": "LS", "l": 2, "s": 2, "next_due": next_due},
        actor=world.users["enterprise_manager"],
        now=now,
    )


def test_due_date_follows_the_latest_assessment(world):
    point = new_point(world)
    _assess(world, point, "2027-05-01")
    point.refresh_from_db()
    assert point.next_assessment_due == dt.date(2027, 5, 1)
    _assess(world, point, "")  # the newest assessment sets no date: none is due
    point.refresh_from_db()
    assert point.next_assessment_due is None


def test_sweep_reminds_once_before_and_once_after(world):
    point = new_point(world)
    _assess(world, point, "2026-11-06", now=NOW - dt.timedelta(days=30))
    manager = world.users["enterprise_manager"]

    def reminders():
        return list(
            Notification.objects.filter(user=manager, url=f"/risk/{point.pk}/")
            .order_by("id")
            .values_list("title", flat=True)
        )

    sweep(NOW - dt.timedelta(days=5))  # 2026-10-28: due in 9 days, not yet
    assert reminders() == []
    sweep(NOW)  # 2026-11-02: due in 4 days (≤ 7)
    sweep(NOW + dt.timedelta(hours=2))  # the same again: nothing new
    assert reminders() == ["风险点“液氯储罐区”应于2026-11-06前重新评价"]
    sweep(NOW + dt.timedelta(days=5))  # 2026-11-07: the date has passed
    sweep(NOW + dt.timedelta(days=6))
    assert reminders()[1:] == ["风险点“液氯储罐区”已超过复评日期（2026-11-06）"]
    # the supervisors are not told: the county sees it on the list instead
    assert not Notification.objects.filter(
        user=world.users["county_office"], url=f"/risk/{point.pk}/"
    ).exists()


def test_lists_filter_and_mark_due_points(world, api_token):
    today = timezone.localdate()
    overdue, soon, later = (
        new_point(world, name="甲"),
        new_point(world, name="乙"),
        new_point(world, name="丙"),
    )
    _assess(
        world,
        overdue,
        (today - dt.timedelta(days=5)).isoformat(),
        now=timezone.now() - dt.timedelta(days=20),
    )
    _assess(world, soon, (today + dt.timedelta(days=3)).isoformat(), now=timezone.now())
    _assess(world, later, (today + dt.timedelta(days=60)).isoformat(), now=timezone.now())
    overdue.refresh_from_db()
    assert overdue.next_assessment_due < today  # assessed 20 days ago, due 15 days after that
    page = login(world.users["county_office"])
    html = page.get("/risk/", {"due": "soon"}).content.decode()
    assert "甲" in html and "乙" in html and "丙" not in html
    assert html.index("甲") < html.index("乙")  # the most overdue first
    assert 'data-due="overdue"' in html and 'data-due="soon"' in html
    only_overdue = page.get("/risk/", {"due": "overdue"}).content.decode()
    assert "甲" in only_overdue and "乙" not in only_overdue
    headers = api_token("county_office")
    body = Client().get("/api/v1/risk-points", {"due": "soon"}, **headers).json()
    assert [p["name"] for p in body["items"]] == ["甲", "乙"]
    assert body["items"][1]["next_assessment_due"] == (today + dt.timedelta(days=3)).isoformat()
    bad = Client().get("/api/v1/risk-points", {"due": "someday"}, **headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "due"
