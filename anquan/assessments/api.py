"""/api/v1 routes of assessments: /assessments (+ /scores) and /flags."""

from ninja import Router

router = Router(tags=["考核评比"])
