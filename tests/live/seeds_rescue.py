"""Rescue forces for the every-operation test (issue #17, rescue17): a team and a depot of 濂溪区 with one stock row."""

from __future__ import annotations


def seed_rescue(world) -> tuple[dict, dict]:
    from anquan.rescue import services, stock

    office = world.users["county_office"]
    located = {
        "address": "十里大道9号",
        "latitude": "29.680000",
        "longitude": "116.000000",
        "contact_name": "张三",
        "contact_phone": "0792-8000000",
    }
    team = services.create_team(
        office,
        {"name": "濂溪区危化救援队", "kind": "professional", "speciality": "hazardous_chemicals", **located},
    )
    depot = services.create_depot(office, {"name": "濂溪区应急物资库", **located})
    item = stock.add_item(
        office, depot, {"name": "泡沫灭火剂", "unit": "吨", "quantity": "5", "minimum_quantity": "2"}
    )
    # `item_id` names an inspection's item elsewhere: this one is given to its operation only
    return {"team_id": team.pk, "depot_id": depot.pk, "stock_item_id": item.pk}, {
        "PATCH /api/v1/supply-depots/{depot_id}/items/{item_id}": {"item_id": item.pk}
    }


OVERRIDES = {
    "PATCH /api/v1/rescue-teams/{team_id}": {"body": {"readiness": "training"}},
    "PATCH /api/v1/supply-depots/{depot_id}": {"body": {"contact_phone": "0792-8000001"}},
    "PATCH /api/v1/supply-depots/{depot_id}/items/{item_id}": {"body": {"minimum_quantity": "3"}},
    "POST /api/v1/supply-depots/{depot_id}/movements": {
        "body": lambda seeds: {
            "item": seeds.ids["stock_item_id"],
            "direction": "in",
            "quantity": "1",
            "reason": "入库",
        }
    },
}
