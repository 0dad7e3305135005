"""The demo's monitoring data (anquan/demo/monitoring.py): what the live board and the alarm pages open on."""

import datetime as dt

from django.utils import timezone

from anquan.demo import monitoring as demo
from anquan.majorhazards import services as installations
from anquan.monitoring.choices import AlarmStatus, PointState
from anquan.monitoring.models import Alarm, Gateway, MonitoringPoint, PointLive, Reading, ReadingRollup


def test_the_demo_enterprise_gets_points_history_live_state_and_alarms(world):
    manager = world.users["enterprise_manager"]
    for name, substance, tons in (("液氯储存单元", "氯", "10"), ("液化石油气储罐区", "液化石油气", "200")):
        installations.create_installation(
            {"enterprise": manager.enterprise.uscc, "name": name, "unit_type": "storage", "exposed_persons": 60,
             "substances": [{"name": substance, "quantity_t": tons}]},
            actor=manager,
        )  # fmt: skip
    now = timezone.now().replace(microsecond=0)
    assert demo.build_monitoring(manager, now) == 14

    gateway = Gateway.objects.get(code=demo.GATEWAY)
    assert gateway.enterprise == manager.enterprise and gateway.key_hash == Gateway.hash_key(demo.KEY)
    points = {p.device_id: p for p in MonitoringPoint.objects.filter(enterprise=manager.enterprise)}
    assert len(points) == 14 and len({p.kind for p in points.values()}) == 7
    assert all(p.installation is not None for p in points.values())  # spread over the two installations
    assert (
        points[demo.ALARMING].state == PointState.ALARM and points[demo.OFFLINE].state == PointState.OFFLINE
    )

    # the last hour raw every 10 s; two days of minutes and hours before it
    hour_ago = now - dt.timedelta(hours=1)
    raw = Reading.objects.filter(point=points["SIM-00002"])
    assert raw.filter(ts__lt=hour_ago - dt.timedelta(minutes=1)).count() == 0
    assert 360 <= raw.count() <= 366  # from the minute an hour ago until now, every 10 s
    minutes = ReadingRollup.objects.filter(point=points["SIM-00002"], period="minute")
    assert 48 * 60 <= minutes.count() <= 49 * 60 + 1
    hours = ReadingRollup.objects.filter(point=points["SIM-00002"], period="hour")
    assert 48 <= hours.count() <= 50 and {h.count for h in hours.order_by("bucket")[1:47]} == {360}

    stuck = Reading.objects.filter(point=points[demo.STUCK], ts__gte=hour_ago)
    assert stuck.values("value").distinct().count() == 1
    live = PointLive.objects.get(point=points[demo.OFFLINE])
    assert now - live.last_ts >= demo.SILENT_FOR
    assert PointLive.objects.get(point=points[demo.ALARMING]).last_value > points[demo.ALARMING].high

    alarms = {a.point.device_id: a for a in Alarm.objects.select_related("point")}
    assert {d: a.status for d, a in alarms.items()} == {
        demo.ALARMING: AlarmStatus.RAISED,
        demo.STUCK: AlarmStatus.ACKNOWLEDGED,
        demo.OFFLINE: AlarmStatus.RAISED,
        demo.EXCURSED: AlarmStatus.CLOSED,
    }
    closed = alarms[demo.EXCURSED]
    assert [e.action for e in closed.events.all()] == ["raise", "acknowledge", "dispose", "recover", "close"]
    assert closed.closed_at and closed.disposal
    # yesterday's excursion is in the roll-ups the trend chart reads
    assert (
        ReadingRollup.objects.filter(
            point=points[demo.EXCURSED], period="minute", max_value__gt=points[demo.EXCURSED].high
        ).count()
        == 15
    )
    # raised by the system's own path and stepped through the declared workflow: audited, the manager notified
    from anquan.core.models import AuditEntry, Notification

    assert (
        AuditEntry.objects.filter(model="monitoring.alarm", action="create", comment="系统报警").count() == 4
    )
    assert AuditEntry.objects.filter(model="monitoring.alarm", action="transition").count() == 5
    assert Notification.objects.filter(user=manager, subject=f"alarm:{alarms[demo.ALARMING].pk}").exists()
    assert [e.at for e in closed.events.all()] == sorted(e.at for e in closed.events.all())
    assert closed.peak_value == 67.1
