"""/api/v1 routes of campaigns: campaigns, campaign tasks (+ transitions, reports), imports, dispatches, stats."""

from ninja import Router

router = Router(tags=["专项整治"])
