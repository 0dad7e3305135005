"""Small venues for the every-operation test (issue #14): one venue in the county office's township."""

from __future__ import annotations


def seed_venues(world) -> tuple[dict, dict]:
    from anquan.venues.services import create_venue

    venue, _pin = create_venue(
        world.users["county_office"],
        {
            "kind": "shop",
            "name": "十里便民超市",
            "address": "十里大道6号",
            "region": world.t1.code,
            "owner_name": "赵六",
            "owner_phone": "13700000000",
        },
    )
    return {"venue_id": venue.pk}, {}
