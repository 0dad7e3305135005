"""Assessments and flags for the every-operation test (issue #15): the county office's assessment of its townships
for last year, computed; the operations' bodies (a period that has ended, a manual criterion of the default scheme,
a township as the flag's holder)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _last_year() -> tuple[str, str]:
    year = timezone.localdate().year - 1
    return dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()


def seed_assessments(world) -> tuple[dict, dict, dict]:
    from anquan.assessments import services

    office = world.users["county_office"]
    start, end = _last_year()
    assessment = services.create(office, {"period_start": start, "period_end": end})
    services.compute(assessment, actor=office)
    return {"assessment_id": assessment.pk}, {}, {"assessment_township": world.t1.code}


OVERRIDES = {
    "POST /api/v1/assessments": {
        "body": lambda seeds: dict(zip(("period_start", "period_end"), _last_year(), strict=True)),
    },
    "POST /api/v1/assessments/{assessment_id}/transitions": {"body": {"action": "compute"}},
    "POST /api/v1/assessments/{assessment_id}/manual-entries": {
        "body": lambda seeds: {
            "criterion": "work",
            "subject": seeds.keys["assessment_township"],
            "points": "8.5",
            "reason": "年度工作落实到位",
        },
    },
    "POST /api/v1/flags": {
        "body": lambda seeds: {
            "colour": "red",
            "holder_kind": "region",
            "region": seeds.keys["assessment_township"],
            "period_start": _last_year()[0],
            "period_end": _last_year()[1],
            "reason": "隐患排查整治成效显著",
        },
    },
}
