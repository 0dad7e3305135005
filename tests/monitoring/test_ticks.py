"""The periodic tick: silence → offline, a value that does not move → stuck, a thin hour → gap, an alarm nobody
acknowledges → escalated up the region chain with the office notified; each idempotent."""

import datetime as dt

from django.utils import timezone

from anquan.core.models import Notification
from anquan.monitoring import ticks
from anquan.monitoring.choices import AlarmKind, AlarmStatus, PointState
from anquan.monitoring.models import Alarm, AlarmEvent, MonitoringPoint, PointLive, Reading


def test_silence_raises_an_offline_alarm_once_and_data_recovers_it(point, feed):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    feed(point, [(0, 3), (10, 3.1)], start)
    # 3 intervals of 10 s (+ the live row's write lag) have long passed
    assert ticks.tick()["offline"] == 1
    alarm = Alarm.objects.get(point=point, kind=AlarmKind.OFFLINE)
    assert alarm.level == "blue" and alarm.started_at == start + dt.timedelta(seconds=10)
    point.refresh_from_db()
    assert point.state == PointState.OFFLINE
    assert ticks.tick()["offline"] == 0  # idempotent
    feed(point, [(290, 3.0)], start)
    alarm.refresh_from_db()
    point.refresh_from_db()
    assert alarm.status == AlarmStatus.RECOVERED and point.state == PointState.NORMAL


def test_data_within_the_limit_is_not_offline(point, feed):
    feed(point, [(0, 3)], timezone.now().replace(microsecond=0) - dt.timedelta(seconds=5))
    assert ticks.offline(timezone.now()) == 0


def test_a_point_that_never_sent_anything_is_offline(point):
    MonitoringPoint.objects.filter(pk=point.pk).update(created_at=timezone.now() - dt.timedelta(minutes=10))
    assert ticks.offline(timezone.now()) == 1
    assert "从未收到数据" in Alarm.objects.get(point=point).message
    assert ticks.offline(timezone.now()) == 0


def test_a_stuck_value_raises_and_a_change_recovers(make_point, feed):
    pressure = make_point("PT-9", kind="pressure", unit="MPa", high=None, high_high=None)
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=61)
    feed(pressure, [(s, 1.2) for s in range(0, 61 * 60 + 1, 60)], start)
    live = PointLive.objects.get(point=pressure)
    assert live.same_since == start
    assert ticks.stuck(timezone.now()) == 1
    alarm = Alarm.objects.get(point=pressure)
    assert alarm.kind == AlarmKind.STUCK and "61 分钟" in alarm.message
    assert ticks.stuck(timezone.now()) == 0
    feed(pressure, [(61 * 60 + 10, 1.25)], start)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RECOVERED


def test_a_gas_detector_reading_zero_in_clean_air_is_not_stuck(point, feed):
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=70)
    feed(point, [(s, 0) for s in range(0, 70 * 60, 60)], start)
    assert ticks.stuck(timezone.now()) == 0


def test_a_thin_hour_raises_one_gap_alarm(make_point):
    now = timezone.now()
    hour = timezone.localtime(now).replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)
    thin = make_point("THIN", created_at=hour - dt.timedelta(days=1))
    full = make_point("FULL", created_at=hour - dt.timedelta(days=1))
    for p, every in ((thin, 20), (full, 10)):  # 180 of 360 expected; 360 of 360
        Reading.objects.bulk_create(
            [
                Reading(point=p, ts=hour + dt.timedelta(seconds=s), value=1.0, region_code=p.region_code)
                for s in range(0, 3600, every)
            ]
        )
    assert ticks.gaps(now, force=True) == 1
    alarm = Alarm.objects.get(kind=AlarmKind.GAP)
    assert alarm.point_id == thin.pk and alarm.started_at == hour and "180" in alarm.message
    assert ticks.gaps(now, force=True) == 0  # the same hour is not reported twice


def test_an_unacknowledged_alarm_is_escalated_up_the_chain(world, make_alarm):
    alarm = make_alarm(level="yellow", raised_ago=dt.timedelta(minutes=61))  # yellow: 60 minutes
    acknowledged = make_alarm(level="yellow", status="acknowledged", raised_ago=dt.timedelta(minutes=61))
    young = make_alarm(level="yellow", raised_ago=dt.timedelta(minutes=30))
    now = timezone.now()
    assert ticks.escalate(now) == 1
    alarm.refresh_from_db()
    assert alarm.escalated_to == "360402" and alarm.status == AlarmStatus.RAISED
    event = AlarmEvent.objects.get(alarm=alarm, action="escalate")
    assert event.actor_id is None and "360402" in event.comment
    county = Notification.objects.filter(user=world.users["county_office"], subject=f"alarm:{alarm.pk}")
    assert county.count() == 1
    assert not Notification.objects.filter(
        user=world.users["city_office"], subject=f"alarm:{alarm.pk}"
    ).exists()
    young.refresh_from_db()
    assert young.escalated_to == ""  # 30 minutes old: not yet
    assert ticks.escalate(now) == 0  # idempotent
    later = now + dt.timedelta(minutes=61)
    assert ticks.escalate(later) == 2  # the first to the city, the young one to its county
    alarm.refresh_from_db()
    assert alarm.escalated_to == "360400"
    assert Notification.objects.filter(user=world.users["city_office"], subject=f"alarm:{alarm.pk}").exists()
    assert ticks.escalate(later + dt.timedelta(minutes=61)) == 2
    alarm.refresh_from_db()
    assert alarm.escalated_to == "360000"
    assert ticks.escalate(later + dt.timedelta(minutes=200)) == 1  # the young one reaches the province
    assert ticks.escalate(later + dt.timedelta(minutes=400)) == 0  # nothing above the province
    acknowledged.refresh_from_db()
    assert acknowledged.escalated_to == ""
    # acknowledging clears the escalation notices
    from anquan.monitoring import actions

    actions.transition(alarm, "acknowledge", actor=world.users["province_office"])
    assert not Notification.objects.filter(subject=f"alarm:{alarm.pk}", done_at__isnull=True).exists()


def test_maintenance_windows_set_and_clear_the_state(point):
    from anquan.monitoring.models import MaintenanceWindow

    now = timezone.now()
    window = MaintenanceWindow.objects.create(
        point=point,
        starts_at=now - dt.timedelta(minutes=1),
        ends_at=now + dt.timedelta(minutes=30),
        reason="更换探头",
        status="approved",
    )
    ticks.maintenance(now)
    point.refresh_from_db()
    assert point.state == PointState.MAINTENANCE
    MonitoringPoint.objects.filter(pk=point.pk).update(created_at=now - dt.timedelta(hours=1))
    assert ticks.offline(now) == 0  # silent under maintenance: no offline alarm
    window.ends_at = now - dt.timedelta(seconds=1)
    window.save()
    ticks.maintenance(now)
    point.refresh_from_db()
    assert point.state == PointState.NORMAL


def test_a_window_ending_returns_each_point_to_what_its_open_alarms_say(make_point):
    """One mechanism: the tick's maintenance part is maintenance.apply_windows, every change a declared, audited step
    of the point's state; at the window's end a point with an open offline alarm is offline, one with another
    open alarm evaluation watches is in alarm, one whose alarm recovered meanwhile is normal."""
    from anquan.core.models import AuditEntry
    from anquan.monitoring.models import MaintenanceWindow

    now = timezone.now()
    points = {name: make_point(f"MW-{name}") for name in ("offline", "alarm", "recovered", "gap", "quiet")}
    windows = [
        MaintenanceWindow.objects.create(
            point=p,
            starts_at=now - dt.timedelta(minutes=5),
            ends_at=now + dt.timedelta(minutes=30),
            reason="标定",
            status="approved",
        )
        for p in points.values()
    ]
    assert ticks.maintenance(now) == 5
    assert set(
        MonitoringPoint.objects.filter(pk__in=[p.pk for p in points.values()]).values_list("state", flat=True)
    ) == {PointState.MAINTENANCE}
    for name, kind, status in (
        ("offline", AlarmKind.OFFLINE, AlarmStatus.ACKNOWLEDGED),
        ("alarm", AlarmKind.HIGH, AlarmStatus.RAISED),
        ("recovered", AlarmKind.HIGH, AlarmStatus.RECOVERED),
        ("gap", AlarmKind.GAP, AlarmStatus.RAISED),  # a past hour's fact, not a condition that lasts
    ):
        Alarm.objects.create(
            point=points[name],
            enterprise=points[name].enterprise,
            region_code=points[name].region_code,
            kind=kind,
            level="yellow",
            status=status,
            message="测试",
            started_at=now - dt.timedelta(hours=1),
            raised_at=now - dt.timedelta(hours=1),
        )
    MaintenanceWindow.objects.filter(pk__in=[w.pk for w in windows]).update(ends_at=now)
    assert ticks.maintenance(now + dt.timedelta(seconds=1)) == 5
    states = dict(
        MonitoringPoint.objects.filter(pk__in=[p.pk for p in points.values()]).values_list(
            "device_id", "state"
        )
    )
    assert states == {
        "MW-offline": PointState.OFFLINE,
        "MW-alarm": PointState.ALARM,
        "MW-recovered": PointState.NORMAL,
        "MW-gap": PointState.NORMAL,
        "MW-quiet": PointState.NORMAL,
    }
    comments = set(
        AuditEntry.objects.filter(model="monitoring.monitoringpoint", action="transition").values_list(
            "comment", flat=True
        )
    )
    assert {c.split("：")[0] for c in comments} >= {
        "进入维护期",
        "维护期结束",
        "维护期结束，仍有报警",
        "维护期结束，仍离线",
    }
    assert ticks.maintenance(now + dt.timedelta(seconds=2)) == 0  # idempotent
