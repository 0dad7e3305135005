"""/api/v1 routes of the enforcement overview (statistics, loops, publicity)."""

from ninja import Router

router = Router(tags=["执法统计"])

# stats13: GET /api/v1/stats/enforcement and GET /api/v1/public/enforcement-decisions
from .api_stats import register as _register_stats  # noqa: E402

_register_stats(router)
