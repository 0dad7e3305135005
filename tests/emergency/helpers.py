"""Plans and drills for the emergency tests, written through the app's own actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from anquan.accounts.services import create_user
from anquan.emergency import actions
from anquan.emergency.models import EmergencyPlan
from tests.conftest import PASSWORD

TZ = timezone.get_fixed_timezone(8 * 60)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def manager_of(enterprise, username: str):
    return create_user(
        actor=None,
        username=username,
        role="enterprise_manager",
        password=PASSWORD,
        enterprise_uscc=enterprise.uscc,
        full_name=f"{enterprise.name}安全员",
    )


def new_plan(
    actor, *, kind: str = "comprehensive", published_on: dt.date, title: str = "", **raw
) -> EmergencyPlan:
    return actions.create_plan(
        {"kind": kind, "title": title or f"{kind}应急预案", "published_on": published_on.isoformat(), **raw},
        actor=actor,
    )


def drill(plan: EmergencyPlan, actor, held_on: dt.date, kind: str = "tabletop"):
    return actions.record_drill(
        plan,
        {
            "held_on": held_on.isoformat(),
            "kind": kind,
            "organiser": "安全部",
            "participant_count": 12,
            "scenario": "储罐区泄漏",
        },
        actor=actor,
    )
