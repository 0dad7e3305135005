"""Alarms from readings that came through a real Mosquitto and the real consumer (`anquan ingest-mqtt`), as a
gateway's sensors would cause them (issue #16, "Must show"): a crossing held longer than the minimum duration raises
one alarm, a shorter one none; back under the threshold (less the hysteresis) the alarm is recovered; a point that
falls silent and a point whose value stays the same get an alarm from the consumer's own tick; the enterprise
acknowledges, disposes and closes, and the county office, to which it was not escalated, cannot. Figures: the defaults of `monitoring.operation`
(minimum duration 10 s, hysteresis 5 %, offline after 3 intervals, stuck after 60 minutes)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from anquan.core.errors import NotPermitted
from anquan.monitoring import actions
from anquan.monitoring.choices import AlarmKind, AlarmStatus
from anquan.monitoring.models import Alarm

from .conftest import make_gateway, make_points
from .test_ingest_mqtt import broker, consumer, publisher, wait_until  # noqa: F401  (the broker fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def send(client, topic: str, device: str, values: list[tuple[dt.datetime, float]]) -> None:
    body = [{"device_id": device, "ts": ts.isoformat(), "value": v} for ts, v in values]
    client.publish(topic, json.dumps(body), qos=1).wait_for_publish(10)


def alarms(point, kind: str) -> list[Alarm]:
    return list(Alarm.objects.filter(point=point, kind=kind).order_by("id"))


def test_sensor_alarms_through_the_broker_and_the_consumer(broker, tmp_path, world):  # noqa: F811
    held, brief, silent, stuck = make_points(world.chem_t1, 4, prefix="GA", high=25.0)
    gateway, _ = make_gateway(world.chem_t1, code="GW-ALARMS")
    topic = f"anquan/v1/{gateway.code}/readings"
    now = timezone.now().replace(microsecond=0)
    t0 = now - dt.timedelta(minutes=3)
    with consumer(broker, tmp_path, "test-alarms") as process:
        client = publisher(broker)
        # over 25 %LEL for 15 s (longer than 10 s): one high alarm; over it for 5 s only: none
        send(client, topic, held.device_id, [(t0 + dt.timedelta(seconds=s), 31.0) for s in (0, 5, 10, 15)])
        send(client, topic, brief.device_id, [(t0, 31.0), (t0 + dt.timedelta(seconds=5), 30.0)])
        send(client, topic, brief.device_id, [(t0 + dt.timedelta(seconds=10), 12.0)])
        wait_until(lambda: len(alarms(held, AlarmKind.HIGH)) == 1, 60, "the high alarm")
        (alarm,) = alarms(held, AlarmKind.HIGH)
        assert (alarm.status, alarm.threshold, alarm.first_value) == (AlarmStatus.RAISED, 25.0, 31.0)
        assert alarms(brief, AlarmKind.HIGH) == []
        # 24.5 is under 25 but within the 5 % hysteresis (23.75): still raised; 20 recovers it
        send(client, topic, held.device_id, [(t0 + dt.timedelta(seconds=20), 24.5)])
        send(client, topic, held.device_id, [(t0 + dt.timedelta(seconds=25), 20.0)])
        wait_until(lambda: Alarm.objects.get(pk=alarm.pk).status == AlarmStatus.RECOVERED, 60, "the recovery")
        assert len(alarms(held, AlarmKind.HIGH)) == 1  # recovered, not raised again
        # a point last heard 3 minutes ago (interval 10 s) and one at 12.0 for 61 minutes: the consumer's tick
        send(client, topic, silent.device_id, [(t0, 5.0)])
        # stamped from the moment of sending: on a loaded machine the steps above can take longer than the
        # point's offline limit (35 s), and an offline point is not judged stuck
        sent = timezone.now().replace(microsecond=0)
        send(client, topic, stuck.device_id, [(sent - dt.timedelta(minutes=61 - m), 12.0) for m in range(62)])
        wait_until(lambda: len(alarms(silent, AlarmKind.OFFLINE)) == 1, 60, "the offline alarm")
        wait_until(lambda: len(alarms(stuck, AlarmKind.STUCK)) == 1, 60, "the stuck-value alarm")
        assert process.process is not None and process.process.poll() is None
        client.disconnect()

    # the enterprise takes the alarm's steps; the county office may not while it is not escalated
    manager = world.users["enterprise_manager"]
    offline = alarms(silent, AlarmKind.OFFLINE)[0]
    with pytest.raises(NotPermitted):
        actions.transition(offline, "acknowledge", actor=world.users["county_office"])
    offline = actions.transition(offline, "acknowledge", actor=manager)
    offline = actions.transition(offline, "dispose", actor=manager, disposal="网关断电，已恢复供电")
    offline = actions.transition(offline, "close", actor=manager, comment="已恢复供电，数据正常上传")
    assert offline.status == AlarmStatus.CLOSED
