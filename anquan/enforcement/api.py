"""/api/v1 routes of the enforcement overview: GET /stats/enforcement and GET /public/enforcement-decisions
(`api_stats.py`)."""

from ninja import Router

from .api_stats import register

router = Router(tags=["执法统计"])
register(router)

from .api_loops import register as register_loops  # noqa: E402 - GET /stats/enforcement-loops

register_loops(router)
