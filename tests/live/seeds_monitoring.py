"""Monitoring for the every-operation test (issue #16): two combustible gas points of the seeded enterprise — one to
read and change, one to retire —, an alarm raised on the first by readings over its threshold (for the alarm
routes; the enterprise's manager acknowledges it), and a gateway whose key pushes readings (persona "gateway")."""

from __future__ import annotations


def seed_monitoring(world) -> tuple[dict, dict]:
    import datetime as dt

    from django.utils import timezone

    from anquan.monitoring import catalogue, evaluation, points
    from anquan.monitoring.ingest import gateways
    from anquan.monitoring.models import Alarm

    manager = world.users["enterprise_manager"]
    kept = points.create(
        world.chem_t1,
        {"device_id": "GT0101", "name": "罐区可燃气体", "kind": "combustible_gas"},
        actor=manager,
    )
    to_retire = points.create(
        world.chem_t1,
        {"device_id": "GT0102", "name": "装卸区可燃气体", "kind": "combustible_gas"},
        actor=manager,
    )
    catalogue.forget()
    info = catalogue.devices_of(world.chem_t1.pk)["GT0101"]
    start = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=5)
    evaluation.evaluate([(info, start, 40.0), (info, start + dt.timedelta(seconds=30), 41.0)])
    alarm = Alarm.objects.get(point=kept)
    _gateway, key = gateways.issue(world.chem_t1, code="GW0101", name="罐区数据网关", actor=manager)
    return (
        {"monitoring_point_id": kept.pk, "alarm_id": alarm.pk, "gateway_key": key},
        {
            "POST /api/v1/monitoring/points/{monitoring_point_id}/retire": {
                "monitoring_point_id": to_retire.pk
            },
            "POST /api/v1/monitoring/alarms/{alarm_id}/{action}": {
                "alarm_id": alarm.pk,
                "action": "acknowledge",
            },
        },
    )


OVERRIDES = {
    "POST /api/v1/monitoring/points": {
        "body": lambda seeds: {
            "enterprise": seeds.keys["enterprise"],
            "device_id": f"GT{seeds.keys['now'].strftime('%H%M%S%f')}",
            "name": "新登记的可燃气体探测器",
            "kind": "combustible_gas",
        },
    },
    "PATCH /api/v1/monitoring/points/{monitoring_point_id}": {"body": {"location": "1号罐区东侧"}},
    # the enterprise acknowledges its alarm
    "POST /api/v1/monitoring/alarms/{alarm_id}/{action}": {"persona": "enterprise_manager", "body": {}},
    # a gateway pushes a reading with its own key (not a person's token)
    "POST /api/v1/monitoring/readings": {
        "persona": "gateway",
        "body": lambda seeds: [{"device_id": "GT0101", "ts": seeds.keys["now"].isoformat(), "value": 3.5}],
    },
}
