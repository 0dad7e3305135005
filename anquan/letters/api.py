"""/api/v1 routes of letters: /letters (+ transitions)."""

from ninja import Router

router = Router(tags=["提示督办函"])
