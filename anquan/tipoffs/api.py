"""/api/v1 routes of tipoffs: `router` (signed-in users and tokens) and `public_router` (mounted at /public, no account)."""

from ninja import Router

router = Router(tags=["举报"])
public_router = Router(tags=["举报（公众）"])
