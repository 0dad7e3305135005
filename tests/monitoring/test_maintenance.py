"""Maintenance windows: requested by the enterprise (at most 7 days, not in the past), approved or rejected by its
supervising department or the county office (not by the requester), cancelled by the requester; while an approved
window runs the point is in maintenance, and back to normal at its end; the approvers' to-do; scope."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.core.todo import items_for
from anquan.monitoring import maintenance
from anquan.monitoring.choices import MaintenanceStatus, PointState
from anquan.monitoring.models import MonitoringPoint

from ..conftest import login

pytestmark = pytest.mark.django_db


def window_raw(start: dt.datetime, hours: float = 4, reason: str = "探测器标定") -> dict:
    return {
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=hours)).isoformat(),
        "reason": reason,
    }


@pytest.fixture
def soon():
    return timezone.now().replace(microsecond=0) + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"starts_at": "2020-01-01T08:00"}, "starts_at", "不能早于现在"),
        ({"hours": 24 * 7 + 1}, "ends_at", "最长7天"),
        ({"hours": -1}, "ends_at", "应晚于开始时间"),
        ({"reason": ""}, "reason", "请填写维护原因"),
        ({"starts_at": "明天"}, "starts_at", "格式不正确"),
    ],
)
def test_a_bad_request_is_refused_field_by_field(world, gas_point, soon, change, field, words):
    raw = window_raw(soon, change.pop("hours", 4))
    raw |= change
    with pytest.raises(ValidationFailed) as exc:
        maintenance.request(gas_point, raw, actor=world.users["enterprise_manager"])
    assert words in {e.field: e.message for e in exc.value.errors}[field]


def test_seven_days_exactly_is_accepted(world, gas_point, soon):
    w = maintenance.request(gas_point, window_raw(soon, 24 * 7), actor=world.users["enterprise_manager"])
    assert w.status == MaintenanceStatus.REQUESTED and w.requested_by == world.users["enterprise_manager"]
    assert AuditEntry.objects.filter(model="monitoring.maintenancewindow", action="create").count() == 1


def test_approved_window_puts_the_point_in_maintenance_while_it_runs(world, gas_point, soon):
    w = maintenance.request(gas_point, window_raw(soon, 2), actor=world.users["enterprise_manager"])
    with pytest.raises(NotPermitted):  # the enterprise does not approve its own request
        maintenance.step(w, "approve", actor=world.users["enterprise_manager"])
    with pytest.raises(NotPermitted):  # a township office is no approver
        maintenance.step(w, "approve", actor=world.users["township_office"])
    w = maintenance.step(w, "approve", actor=world.users["emergency_supervisor"], note="同意")
    assert (w.status, w.decided_by, w.decision_note) == (
        "approved",
        world.users["emergency_supervisor"],
        "同意",
    )
    assert MonitoringPoint.objects.get(pk=gas_point.pk).state == PointState.NORMAL  # not begun yet
    assert maintenance.apply_windows(soon + dt.timedelta(minutes=1)) == (1, 0)
    assert MonitoringPoint.objects.get(pk=gas_point.pk).state == PointState.MAINTENANCE
    assert maintenance.apply_windows(soon + dt.timedelta(minutes=2)) == (0, 0)  # idempotent
    assert maintenance.apply_windows(soon + dt.timedelta(hours=2)) == (0, 1)  # the window has ended
    assert MonitoringPoint.objects.get(pk=gas_point.pk).state == PointState.NORMAL
    states = AuditEntry.objects.filter(model="monitoring.monitoringpoint", action="transition").order_by("id")
    assert [e.comment for e in states] == [
        "进入维护期：正常 → 维护中",
        "维护期结束：维护中 → 正常",
    ] or states.count() == 2
    with pytest.raises(Conflict):
        maintenance.step(w, "reject", actor=world.users["county_office"], note="晚了")


def test_cancelling_a_running_window_ends_maintenance_at_once(world, gas_point):
    start = timezone.now() + dt.timedelta(minutes=1)
    w = maintenance.request(gas_point, window_raw(start, 3), actor=world.users["enterprise_manager"])
    w = maintenance.step(w, "approve", actor=world.users["county_office"])
    maintenance.apply_windows(start + dt.timedelta(minutes=5))
    assert MonitoringPoint.objects.get(pk=gas_point.pk).state == PointState.MAINTENANCE
    with pytest.raises(NotPermitted):
        maintenance.step(w, "cancel", actor=world.users["county_office"])
    w = maintenance.step(
        w, "cancel", actor=world.users["enterprise_manager"], now=start + dt.timedelta(minutes=6)
    )
    assert w.status == MaintenanceStatus.CANCELLED
    assert MonitoringPoint.objects.get(pk=gas_point.pk).state == PointState.NORMAL


def test_reject_needs_a_note(world, gas_point, soon):
    w = maintenance.request(gas_point, window_raw(soon), actor=world.users["enterprise_manager"])
    with pytest.raises(ValidationFailed):
        maintenance.step(w, "reject", actor=world.users["county_office"])
    w = maintenance.step(w, "reject", actor=world.users["county_office"], note="请先报备检修方案")
    assert w.status == MaintenanceStatus.REJECTED
    assert maintenance.apply_windows(soon + dt.timedelta(minutes=1)) == (0, 0)


def test_the_approvers_to_do_and_the_pages(world, gas_point, soon):
    maintenance.request(gas_point, window_raw(soon), actor=world.users["enterprise_manager"])
    for persona, expected in (
        ("county_office", 1),
        ("emergency_supervisor", 1),
        ("housing_supervisor", 0),
        ("county_office_b", 0),
        ("enterprise_manager", 0),
        ("grid_worker", 0),
    ):
        todo = {i.kind: i.count for i in items_for(world.users[persona])}
        assert todo.get("monitoring.maintenance", 0) == expected, persona
    office = login(world.users["county_office"])
    page = office.get("/monitoring/maintenance/?status=requested").content.decode()
    assert "探测器标定" in page and 'value="approve"' in page
    w = gas_point.maintenance_windows.get()
    assert office.post(f"/monitoring/maintenance/{w.pk}/step/", {"action": "approve"}).status_code == 302
    w.refresh_from_db()
    assert w.status == MaintenanceStatus.APPROVED
    assert (
        login(world.users["county_office_b"])
        .post(f"/monitoring/maintenance/{w.pk}/step/", {"action": "cancel"})
        .status_code
        == 404
    )
    assert login(world.users["grid_worker"]).get("/monitoring/maintenance/").status_code == 404


def test_the_point_page_requests_a_window_and_shows_a_refusal_beside_its_field(world, gas_point, soon):
    client = login(world.users["enterprise_manager"])
    url = f"/monitoring/points/{gas_point.pk}/maintenance/"
    local = timezone.localtime(soon).replace(tzinfo=None)
    bad = client.post(
        url,
        {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + dt.timedelta(days=8)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "更换探头",
        },
    )
    assert bad.status_code == 422 and "一次维护最长7天" in bad.content.decode()
    good = client.post(
        url,
        {
            "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (local + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "reason": "更换探头",
        },
    )
    assert good.status_code == 302
    assert gas_point.maintenance_windows.get().reason == "更换探头"
    with pytest.raises(Http404):
        from anquan.core.scope import get_in_scope

        get_in_scope(
            maintenance.windows(world.users["county_office_b"]),
            world.users["county_office_b"],
            pk=gas_point.maintenance_windows.get().pk,
        )
