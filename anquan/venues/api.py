"""/api/v1 routes of venues: `router` (signed-in users and tokens) and `public_router` (mounted at /public, no account)."""

from ninja import Router

router = Router(tags=["九小场所"])
public_router = Router(tags=["九小场所（公众）"])
