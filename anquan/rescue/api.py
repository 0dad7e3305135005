"""/api/v1 routes of rescue teams and duty rosters (typed; token writes). `?near=lat,lng&within_km=` lists the
teams within the distance, nearest first, with `distance_km` (geo.py); a bad `near` or `within_km` is a 422
naming the parameter. Supply depots: api_depots.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.inputs import refuse
from anquan.core.scope import get_in_scope, restrict
from anquan.regions.inputs import subtree
from anquan.standards.schemas import Id, RegionCode, Uscc

from . import duty, services
from .choices import Readiness, Speciality, TeamKind
from .geo import parse_near
from .models import DutyRoster, RescueTeam
from .presenting import roster_out, team_out
from .search import teams_near

router = Router(tags=["应急救援力量"])


class RescueNearParams(Schema):
    near: str | None = Field(
        None, max_length=60, description="纬度,经度（如 29.70,116.00）：只列出此点附近的，由近到远"
    )
    within_km: str | None = Field(None, max_length=20, description="距离（公里，默认20，最大500）")


class RescueTeamFilters(RescueNearParams):
    region: RegionCode | None = Field(None, description="its subtree")
    kind: TeamKind | None = None
    speciality: Speciality | None = None
    readiness: Readiness | None = None


class TeamMemberIn(Schema):
    name: str = Field(max_length=50)
    role: str | None = Field(None, max_length=50)
    phone: str | None = Field(None, max_length=20)


class RescueOwnerIn(Schema):
    enterprise: Uscc | None = Field(None, description="所属企业（统一社会信用代码）；企业用户省略")
    region: RegionCode | None = Field(None, description="政府部门所属区域（默认调用者所在区域）")
    department: str | None = Field(None, max_length=50, description="政府部门（名称或代码）")


class RescueLocatedIn(Schema):
    name: str = Field(max_length=100)
    address: str = Field(max_length=200)
    latitude: Decimal = Field(ge=3, le=54, description="纬度（中国境内）")
    longitude: Decimal = Field(ge=73, le=136, description="经度（中国境内）")
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=20, description="24小时联系电话")


class RescueTeamIn(RescueOwnerIn, RescueLocatedIn):
    kind: TeamKind = Field(description="professional 专业 | enterprise 企业 | volunteer 社会（志愿）")
    speciality: Speciality
    member_count: int | None = Field(None, ge=0, le=services.MAX_MEMBERS, description="默认为名单人数")
    members: list[TeamMemberIn] | None = Field(None, max_length=services.MAX_MEMBER_ROWS)
    equipment: list[str] | None = Field(None, max_length=500, description="主要装备，每项一行")
    readiness: Readiness | None = None


class RescueTeamPatchIn(Schema):
    name: str | None = Field(None, max_length=100)
    address: str | None = Field(None, max_length=200)
    latitude: Decimal | None = Field(None, ge=3, le=54)
    longitude: Decimal | None = Field(None, ge=73, le=136)
    contact_name: str | None = Field(None, max_length=50)
    contact_phone: str | None = Field(None, max_length=20)
    kind: TeamKind | None = None
    speciality: Speciality | None = None
    member_count: int | None = Field(None, ge=0, le=services.MAX_MEMBERS)
    members: list[TeamMemberIn] | None = Field(
        None, max_length=services.MAX_MEMBER_ROWS, description="替换整个名单"
    )
    equipment: list[str] | None = Field(None, max_length=500)
    readiness: Readiness | None = None


class RescueOwnerOut(Schema):
    owner: str
    enterprise: str | None = Field(description="USCC")
    department: str | None
    region: str
    region_name: str


class RescueLocatedOut(RescueOwnerOut):
    id: int
    name: str
    address: str
    latitude: Decimal
    longitude: Decimal
    contact_name: str
    contact_phone: str
    distance_km: float | None = Field(description="给出 near 时：到该点的大圆距离（公里）")


class TeamMemberOut(Schema):
    name: str
    role: str
    phone: str


class RescueTeamOut(RescueLocatedOut):
    kind: str
    kind_label: str
    speciality: str
    speciality_label: str
    member_count: int
    equipment: list[str]
    readiness: str
    readiness_label: str


class RescueTeamDetailOut(RescueTeamOut):
    members: list[TeamMemberOut]


def _teams(request: AuthedRequest) -> QuerySet[RescueTeam]:
    return restrict(RescueTeam, request.user).select_related("region", "enterprise", "department")


@router.get("/rescue-teams", response=responses(Page[RescueTeamOut]))
def list_rescue_teams(
    request: AuthedRequest, filters: Query[RescueTeamFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """The teams in scope; with `near`, only those within `within_km` (default 20) of the point, nearest first."""
    where = parse_near(filters.near, filters.within_km)
    qs = _teams(request)
    if filters.region:
        qs = qs.filter(subtree(filters.region))
    for name in ("kind", "speciality", "readiness"):
        if getattr(filters, name):
            qs = qs.filter(**{name: getattr(filters, name)})
    if where is None:
        return page(qs, paging, team_out)
    found = teams_near(request.user, where[0], where[1], qs)
    return page([(f.obj, f.km) for f in found], paging, lambda pair: team_out(pair[0], pair[1]))


@router.post("/rescue-teams", response=responses({201: RescueTeamDetailOut}, 400, 403, 415))
def create_rescue_team(request: AuthedRequest, payload: RescueTeamIn) -> Status[dict[str, Any]]:
    raw = payload.dict(exclude_none=True)
    team = services.create_team(request.user, raw)
    return Status(201, team_out(_teams(request).get(pk=team.pk), full=True))


@router.get("/rescue-teams/{team_id}", response=responses(RescueTeamDetailOut, 404))
def get_rescue_team(request: AuthedRequest, team_id: Id) -> dict[str, Any]:
    return team_out(get_in_scope(_teams(request), request.user, pk=team_id), full=True)


@router.patch("/rescue-teams/{team_id}", response=responses(RescueTeamDetailOut, 400, 403, 404, 415))
def update_rescue_team(request: AuthedRequest, team_id: Id, payload: RescueTeamPatchIn) -> dict[str, Any]:
    team = get_in_scope(_teams(request), request.user, pk=team_id)
    services.update_team(request.user, team, payload.dict(exclude_unset=True))
    return team_out(_teams(request).get(pk=team.pk), full=True)


# ---- duty rosters ------------------------------------------------------------------------------------------


class DutyRosterFilters(Schema):
    date_from: dt.date | None = Field(None, alias="from", description="默认今天")
    date_to: dt.date | None = Field(None, alias="to", description="默认起始日后6天")
    region: RegionCode | None = Field(None, description="its subtree")
    team: Id | None = None


class DutyRosterIn(RescueOwnerIn):
    team: Id | None = Field(None, description="救援队伍的值班（否则为所属单位的值班）")
    day: dt.date
    leader_name: str = Field(max_length=50, description="带班领导")
    leader_phone: str | None = Field(None, max_length=20)
    person_name: str = Field(max_length=50, description="值班人员")
    phone: str = Field(max_length=20, description="值班电话")


class DutyRosterOut(RescueOwnerOut):
    id: int
    day: dt.date
    unit: str
    team: int | None
    leader_name: str
    leader_phone: str
    person_name: str
    phone: str


@router.get("/duty-rosters", response=responses(Page[DutyRosterOut]), by_alias=True)
def list_duty_rosters(
    request: AuthedRequest, filters: Query[DutyRosterFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    """The rosters in scope from `from` to `to` (at most 366 days)."""
    start = filters.date_from or dt.date.today()
    end = filters.date_to or start + dt.timedelta(days=6)
    if not start <= end <= start + dt.timedelta(days=366):
        refuse("to", "结束日期应不早于开始日期，且相差不超过366天", "out_of_range")
    qs = restrict(DutyRoster, request.user).filter(day__gte=start, day__lte=end)
    if filters.region:
        qs = qs.filter(subtree(filters.region))
    if filters.team:
        qs = qs.filter(team_id=filters.team)
    qs = qs.select_related("region", "enterprise", "department", "team")
    return page(qs, paging, roster_out)


@router.post("/duty-rosters", response=responses({201: DutyRosterOut}, 400, 403, 409, 415))
def create_duty_roster(request: AuthedRequest, payload: DutyRosterIn) -> Status[dict[str, Any]]:
    """One day's duty of a unit (one per unit and day: a second answers 409)."""
    roster = duty.create_roster(request.user, payload.dict(exclude_none=True))
    return Status(201, roster_out(roster))
