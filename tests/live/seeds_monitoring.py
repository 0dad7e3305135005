"""Monitoring points for the every-operation test (issue #16, registry16): two combustible gas points of the seeded
enterprise — one to read and change, one to retire."""

from __future__ import annotations


def seed_monitoring(world) -> tuple[dict, dict]:
    from anquan.monitoring import points

    manager = world.users["enterprise_manager"]
    kept = points.create(
        world.chem_t1,
        {"device_id": "LIVE-GT-1", "name": "罐区可燃气体", "kind": "combustible_gas"},
        actor=manager,
    )
    to_retire = points.create(
        world.chem_t1,
        {"device_id": "LIVE-GT-2", "name": "装卸区可燃气体", "kind": "combustible_gas"},
        actor=manager,
    )
    return (
        {"monitoring_point_id": kept.pk},
        {
            "POST /api/v1/monitoring/points/{monitoring_point_id}/retire": {
                "monitoring_point_id": to_retire.pk
            }
        },
    )


OVERRIDES = {
    "POST /api/v1/monitoring/points": {
        "body": lambda seeds: {
            "enterprise": seeds.keys["enterprise"],
            "device_id": f"LIVE-NEW-{seeds.keys['now'].strftime('%H%M%S%f')}",
            "name": "新登记的可燃气体探测器",
            "kind": "combustible_gas",
        },
    },
    "PATCH /api/v1/monitoring/points/{monitoring_point_id}": {"body": {"location": "1号罐区东侧"}},
}
