"""/api/v1 routes of the enforcement overview (statistics, loops, publicity)."""

from ninja import Router

router = Router(tags=["执法统计"])
