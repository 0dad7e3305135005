"""/api/v1 routes of campaigns: campaigns, campaign tasks (+ transitions, reports), imports, dispatches, stats."""

from ninja import Router

router = Router(tags=["专项整治"])

from .api_import import router as import_router  # noqa: E402  (import15: task-list import and export)

router.add_router("", import_router)
from .api_dispatch import router as dispatch_router  # noqa: E402  (dispatch15: dispatches and reports)

router.add_router("", dispatch_router)
