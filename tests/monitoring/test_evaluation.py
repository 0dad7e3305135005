"""Alarm evaluation as readings arrive: minimum duration, hysteresis, recovery, rate of change, maintenance,
levels, the live row and the point's state."""

import datetime as dt
from decimal import Decimal

from anquan.monitoring.choices import AlarmKind, AlarmStatus, Level, MaintenanceStatus, PointState
from anquan.monitoring.models import Alarm, AlarmEvent, MaintenanceWindow, MonitoringPoint, PointLive


def _alarms(point, **kw):
    return list(Alarm.objects.filter(point=point, **kw).order_by("pk"))


def test_a_crossing_longer_than_the_minimum_duration_raises_one_alarm(point, feed, t0):
    # default min duration 10 s: 30 → 32 → 31 over 20 s, every reading above the high threshold 25
    feed(point, [(0, 5), (10, 30), (20, 32), (30, 31), (40, 33)], t0)
    alarms = _alarms(point)
    assert len(alarms) == 1
    alarm = alarms[0]
    assert alarm.kind == AlarmKind.HIGH and alarm.status == AlarmStatus.RAISED
    assert alarm.started_at == t0 + dt.timedelta(seconds=10)  # when the condition began
    assert alarm.threshold == 25 and alarm.first_value == 32
    assert alarm.level == Level.YELLOW  # level_high of the rule; the point is at no major hazard installation
    assert "高报" in alarm.message
    assert AlarmEvent.objects.get(alarm=alarm).action == "raise"
    point.refresh_from_db()
    assert point.state == PointState.ALARM
    # more readings still above: no second alarm
    feed(point, [(50, 34), (60, 30)], t0)
    assert len(_alarms(point)) == 1


def test_a_shorter_excursion_raises_none(point, feed, t0):
    feed(point, [(0, 5), (10, 40), (15, 6), (25, 30), (30, 5)], t0)
    assert _alarms(point) == []
    live = PointLive.objects.get(point=point)
    assert live.band == "" and live.last_value == 5


def test_high_high_after_high_and_back_to_normal_recovers_both(point, feed, t0):
    feed(point, [(0, 30), (10, 30), (20, 60), (30, 61)], t0)
    kinds = sorted(a.kind for a in _alarms(point))
    assert kinds == [AlarmKind.HIGH, AlarmKind.HIGH_HIGH]
    hh = Alarm.objects.get(point=point, kind=AlarmKind.HIGH_HIGH)
    assert hh.level == Level.ORANGE
    feed(point, [(40, 3)], t0)
    assert {a.status for a in _alarms(point)} == {AlarmStatus.RECOVERED}
    assert all(a.recovered_at is not None for a in _alarms(point))
    recover = AlarmEvent.objects.filter(alarm=hh, action="recover").get()
    assert recover.actor_id is None and recover.to_status == AlarmStatus.RECOVERED
    point.refresh_from_db()
    assert point.state == PointState.NORMAL


def test_hysteresis_holds_the_alarm_until_back_inside_by_the_margin(point, feed, t0):
    # high 25, hysteresis 5 % → recovers only at or below 23.75
    feed(point, [(0, 30), (10, 30)], t0)
    (alarm,) = _alarms(point)
    feed(point, [(20, 24.0), (30, 24.5)], t0)  # below the threshold but inside the margin
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RAISED
    assert PointLive.objects.get(point=point).band == "high"
    feed(point, [(40, 23.5)], t0)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RECOVERED
    # flapping around the threshold after recovery needs the minimum duration again
    feed(point, [(50, 25.5), (55, 23.0)], t0)
    assert len(_alarms(point)) == 1


def test_low_side_bands(make_point, feed, t0):
    oxygen = make_point("O2-1", kind="oxygen", unit="%VOL", high=23.5, high_high=None, low=19.5, low_low=18.0)
    feed(oxygen, [(0, 20.9), (10, 19.0), (20, 19.2), (30, 17.5), (40, 17.0)], t0)
    assert sorted(a.kind for a in _alarms(oxygen)) == [AlarmKind.LOW, AlarmKind.LOW_LOW]
    feed(oxygen, [(50, 20.0)], t0)  # 19.5 + 5 % = 20.475: still low
    assert Alarm.objects.filter(point=oxygen, status=AlarmStatus.RECOVERED).count() == 0
    feed(oxygen, [(60, 20.9)], t0)
    assert Alarm.objects.filter(point=oxygen, status=AlarmStatus.RECOVERED).count() == 2


def test_rate_of_change(make_point, feed, t0):
    pressure = make_point(
        "PT-1", kind="pressure", unit="MPa", high=None, high_high=None, max_rate_per_minute=0.5
    )
    feed(pressure, [(0, 1.0), (10, 1.05), (20, 1.3)], t0)  # 0.25 MPa in 10 s = 1.5 MPa/min
    (alarm,) = _alarms(pressure)
    assert alarm.kind == AlarmKind.RATE and alarm.threshold == 0.5
    feed(pressure, [(30, 1.4)], t0)  # 0.6/min: still too fast, no second alarm
    assert len(_alarms(pressure)) == 1
    feed(pressure, [(40, 1.41)], t0)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RECOVERED


def test_maintenance_raises_nothing_but_keeps_the_live_value(point, feed, t0):
    MaintenanceWindow.objects.create(
        point=point,
        starts_at=t0 - dt.timedelta(minutes=5),
        ends_at=t0 + dt.timedelta(minutes=5),
        reason="标定",
        status=MaintenanceStatus.APPROVED,
    )
    feed(point, [(0, 40), (10, 41), (20, 42)], t0)
    assert _alarms(point) == []
    assert PointLive.objects.get(point=point).last_value == 42
    MonitoringPoint.objects.filter(pk=point.pk).update(state=PointState.MAINTENANCE)
    feed(
        point, [(400, 40), (410, 41)], t0
    )  # after the window, but the point is still marked under maintenance
    assert _alarms(point) == []


def test_grade_1_installation_raises_the_level_one_step(point, feed, t0, world):
    installation = _installation(world.chem_t1, grade=1)
    MonitoringPoint.objects.filter(pk=point.pk).update(installation=installation)
    point.refresh_from_db()
    feed(point, [(0, 30), (10, 30)], t0)
    (alarm,) = _alarms(point)
    assert alarm.level == Level.ORANGE and alarm.installation_id == installation.pk


def test_late_readings_are_not_judged_and_the_live_row_is_written_coarsely(point, feed, t0):
    feed(point, [(0, 5), (10, 6)], t0)
    live = PointLive.objects.get(point=point)
    first_update = live.updated_at
    feed(point, [(20, 7)], t0)  # nothing that matters changed, written less than 5 s ago: not rewritten
    live.refresh_from_db()
    assert live.updated_at == first_update and live.last_value == 6
    feed(point, [(30, 30)], t0)  # the band changed: written at once
    live.refresh_from_db()
    assert live.band == "high" and live.last_value == 30
    feed(point, [(5, 99)], t0)  # older than the latest: not judged
    live.refresh_from_db()
    assert live.last_value == 30 and _alarms(point) == []


def test_a_batch_of_many_points_takes_a_constant_number_of_queries(
    make_point, t0, django_assert_max_num_queries
):
    from anquan.monitoring import catalogue
    from anquan.monitoring.evaluation import evaluate

    points = [make_point(f"D-{i}") for i in range(50)]
    catalogue.forget()
    devices = catalogue.devices_of(points[0].enterprise_id)
    rows = [
        (devices[p.device_id], t0 + dt.timedelta(seconds=s), 5.0 + s / 100)
        for p in points
        for s in range(0, 100, 10)
    ]
    evaluate(rows)  # first batch: the rule version, the windows, the live rows created
    later = [(info, ts + dt.timedelta(seconds=100), v) for info, ts, v in rows]
    with django_assert_max_num_queries(3):
        evaluate(later)


def _installation(enterprise, grade):
    from anquan.majorhazards.models import MajorHazardInstallation

    return MajorHazardInstallation.objects.create(
        enterprise=enterprise,
        region_code=enterprise.region_code,
        name="液氯储罐区",
        unit_type="storage",
        s=Decimal("0"),
        is_major=True,
        grade=grade,
    )
