"""Enforcement cases for the every-operation test (issue #13): an opened case (its transitions, referrals and
listings), a proposed referral and a listing old enough to be removed early."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

PEOPLE = ["inspector", "emergency_supervisor"]


def seed_cases(world) -> tuple[dict, dict]:
    from anquan.cases import actions, related, services
    from anquan.cases.models import EnforcementCase
    from anquan.enterprises.models import Enterprise

    inspector, boss = world.users["inspector"], world.users["emergency_supervisor"]
    today = timezone.localdate()
    # the party block of the documents a case's steps issue (立案审批表 …) comes from the registry
    Enterprise.objects.filter(pk=world.chem_t1.pk).update(
        address="九江市濂溪区十里大道88号", legal_representative="王建国"
    )

    def opened(days_ago: int):
        case = services.open_case(
            {
                "enterprise": world.chem_t1.uscc,
                "source": "inspection",
                "facts": "未按规定检测重大危险源",
                "investigators": PEOPLE,
                "applied_on": today - dt.timedelta(days=days_ago),
            },
            actor=inspector,
        )
        return actions.transition(case, "approve", actor=boss, opened_on=today - dt.timedelta(days=days_ago))

    case = opened(10)
    referral = related.propose_referral(
        case,
        {"officers": PEOPLE, "persons": ["张三"], "suspected_crime": "危险作业罪", "reason": "关闭报警装置"},
        actor=inspector,
    )
    decided = opened(800)
    EnforcementCase.objects.filter(pk=decided.pk).update(
        status="executing", decided_on=today - dt.timedelta(days=790)
    )
    decided.refresh_from_db()
    listing = related.list_enterprise(
        decided,
        {"condition": "concealed", "reason": "瞒报事故", "listed_on": today - dt.timedelta(days=780)},
        actor=boss,
    )
    listed = opened(20)
    EnforcementCase.objects.filter(pk=listed.pk).update(
        status="executing", decided_on=today - dt.timedelta(days=5)
    )
    ids = {"case_id": case.pk, "referral_id": referral.pk, "listing_id": listing.pk}
    by_operation = {"POST /api/v1/enforcement-cases/{case_id}/listings": {"case_id": listed.pk}}
    return ids, by_operation
