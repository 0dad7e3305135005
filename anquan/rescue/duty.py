"""The 24-hour duty (应急值班) rosters and the units that must keep one.

《生产安全事故应急条例》（国务院令第708号）第十四条: units producing, trading, storing or carrying dangerous goods,
mines, metal smelting, urban rail transit operators, construction units and rescue teams set up an emergency duty
system with people on duty; the larger, more dangerous dangerous-goods units keep 24-hour duty. Which supervision
categories those are is this system's reading of the article (not verified), so it is versioned rule data
(`rescue.duty`, ADR 0022): editable by effective date, and the page says it is unverified."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from pydantic import BaseModel, Field

from anquan.core import audit, inputs
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import CHANGE, get_in_scope, in_scope, own_area, restrict, role_may
from anquan.enterprises.choices import Status as EnterpriseStatus
from anquan.enterprises.models import Enterprise
from anquan.orgs.reference import CATEGORY_NAMES
from anquan.rules.models import RuleVersion
from anquan.rules.registry import Default, RuleKind, register
from anquan.rules.services import in_force

from .models import DutyRoster, RescueTeam
from .owners import owner

KIND = "rescue.duty"


class DutyUnits(BaseModel):
    industries: list[str] = Field(title="须建立应急值班制度的监管行业（代码）", max_length=100)
    rescue_teams: bool = Field(title="应急救援队伍须值班")


def register_kinds() -> None:
    register(
        RuleKind(
            value_labels=CATEGORY_NAMES,
            key=KIND,
            label="须建立应急值班制度的单位",
            schema=DutyUnits,
            description="哪些单位每天须排定值班人员（值班表缺失的单位列入待办和统计）",
            defaults=[
                Default(
                    effective_from=dt.date(2019, 4, 1),
                    values={
                        "industries": [
                            "hazardous_chemicals",
                            "fireworks",
                            "civil_explosives",
                            "gas",
                            "coal_mine",
                            "non_coal_mine",
                            "metallurgy",
                            "nonferrous",
                            "construction",
                        ],
                        "rescue_teams": True,
                    },
                    source="《生产安全事故应急条例》（国务院令第708号）第十四条",
                    verified="partial",
                    note="条文已核实；条文中的单位对应到本系统的哪些监管行业是本系统的理解，未经核实（城市轨道交通运营无对应行业）",
                )
            ],
        )
    )


def rule(on: dt.date, region_code: str) -> RuleVersion:
    return in_force(KIND, on, region_code)


# the figures in force per (day, province), kept for the to-do badge on every page (one query per module);
# emptied whenever a version of any rule is saved (apps.py connects `forget`)
_UNITS: dict[tuple[dt.date, str], DutyUnits] = {}


def units_on(on: dt.date, region_code: str) -> DutyUnits:
    key = (on, region_code[:2])
    if key not in _UNITS:
        if len(_UNITS) > 64:
            _UNITS.clear()
        _UNITS[key] = DutyUnits.model_validate(rule(on, region_code).values)
    return _UNITS[key]


def forget(**kwargs: Any) -> None:
    _UNITS.clear()


@dataclass(frozen=True)
class Missing:
    label: str
    kind: str  # "enterprise" | "team"
    pk: int
    region_code: str


def required_enterprises(user: Any, on: dt.date, region_code: str) -> QuerySet[Enterprise]:
    return restrict(Enterprise, user).filter(
        status=EnterpriseStatus.OPERATING, industry__code__in=units_on(on, region_code).industries
    )


def required_teams(user: Any, on: dt.date, region_code: str) -> QuerySet[RescueTeam]:
    if not units_on(on, region_code).rescue_teams:
        return RescueTeam.objects.none()
    return restrict(RescueTeam, user)


def missing(user: Any, on: dt.date, region_code: str, prefix_q: Any = None) -> list[Missing]:
    """The units in scope that must keep duty and have no roster for `on` (enterprises, then rescue teams)."""
    kept_e = DutyRoster.objects.filter(enterprise_id=OuterRef("pk"), team__isnull=True, day=on)
    kept_t = DutyRoster.objects.filter(team_id=OuterRef("pk"), day=on)
    enterprises = required_enterprises(user, on, region_code).exclude(Exists(kept_e))
    teams = required_teams(user, on, region_code).exclude(Exists(kept_t))
    # the units the user answers for: their own area's, not the county's shared forces (ADR 0057)
    teams = teams.filter(own_area(user))
    if prefix_q is not None:
        enterprises, teams = enterprises.filter(prefix_q), teams.filter(prefix_q)
    return [
        Missing(e.name, "enterprise", e.pk, e.region_code) for e in enterprises.order_by("name")[:500]
    ] + [Missing(t.name, "team", t.pk, t.region_code) for t in teams.order_by("name")[:500]]


def create_roster(actor: Any, raw: dict[str, Any]) -> DutyRoster:
    """One day's duty of one unit: a rescue team (`team` id), or the owner unit as teams and depots name it."""
    if not role_may(actor, DutyRoster, "change"):
        raise NotPermitted("您的角色不能排定值班")
    errors: list[FieldError] = []
    team = None
    if raw.get("team") not in (None, ""):
        team_id = inputs.integer(raw.get("team"), "team", "救援队伍", errors, low=1, high=2**31)
        if team_id is not None:
            try:
                team = get_in_scope(RescueTeam.objects.select_related("region"), actor, CHANGE, pk=team_id)
            except Http404:  # one answer for unknown and out of scope
                errors.append(FieldError("team", "out_of_scope", "救援队伍不存在或不在您的管辖范围内"))
        unit = (
            {"enterprise": team.enterprise, "department": team.department, "region": team.region}
            if team
            else {}
        )
    else:
        unit = owner(raw, actor, errors)
    day = inputs.day(raw.get("day"), "day", "值班日期", errors)
    if day is None and not any(e.field == "day" for e in errors):
        errors.append(FieldError("day", "required", "值班日期不能为空"))
    values = {
        field: inputs.text(raw.get(field), field, label, errors, max_length=length, required=required)
        for field, label, length, required in (
            ("leader_name", "带班领导", 50, True),
            ("leader_phone", "带班领导电话", 20, False),
            ("person_name", "值班人员", 50, True),
            ("phone", "值班电话", 20, True),
        )
    }
    if errors:
        raise ValidationFailed(errors)
    assert day is not None
    roster = DutyRoster(**unit, team=team, day=day, **values)
    roster.region_code = roster.region.code
    if not in_scope(roster, actor, "change"):
        raise ValidationFailed([FieldError("region", "out_of_scope", "区域不在您的管辖范围内")])
    same = DutyRoster.objects.filter(
        day=day,
        team=team,
        enterprise=roster.enterprise,
        department=roster.department,
        region=roster.region,
    )
    try:
        with transaction.atomic():
            if same.exists():
                raise Conflict("duplicate", "该单位当天已排定值班")
            roster.save()
            audit.record_create(roster, actor=actor)
    except IntegrityError:
        raise Conflict("duplicate", "该单位当天已排定值班") from None
    return roster
