"""/api/v1 routes of grids: `router` (signed-in users and tokens) and `public_router` (mounted at /public, no account)."""

from ninja import Router

router = Router(tags=["网格巡查"])
public_router = Router(tags=["网格巡查（公众）"])
