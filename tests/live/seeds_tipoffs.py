"""Public tip-offs for the every-operation test (issue #14): one received tip-off in 濂溪区 with the reporter's name
and phone (its transitions, notes, identity and public status)."""

from __future__ import annotations


def seed_tipoffs(world) -> tuple[dict, dict]:
    from anquan.tipoffs import services

    tipoff, _ = services.submit(
        {
            "kind": "hazard",
            "description": "仓库门口堆放杂物堵塞安全出口",
            "region": world.t1.code,
            "address": "十里大道1号",
            "reporter_name": "张三",
            "reporter_phone": "13800001111",
        }
    )
    return {"tipoff_id": tipoff.pk, "tracking_code": tipoff.tracking_code}, {}


OVERRIDES = {
    "POST /api/v1/public/tip-offs": {
        "body": lambda seeds: {"region": seeds.keys["township"], "address": "十里大道2号"},
    },
    "POST /api/v1/tip-offs/{tipoff_id}/transitions": {
        "body": {"action": "accept", "department": "应急管理局"}
    },
}
BINARY = {
    "GET /api/v1/stats/tip-offs/export": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
