"""Pages of rescue teams (list, detail, new, edit), the dispatching officer's search and the region's figures.
Depots and stock: views_depots.py; duty rosters: views_rosters.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.scope import CHANGE, get_in_scope, in_scope, restrict, role_may
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Department
from anquan.regions.inputs import region_field, subtree

from . import services, stats
from .choices import Readiness, Speciality, TeamKind
from .forms import OWNER_FIELDS, TEAM_FIELDS, members_text, raw
from .geo import DEFAULT_KM, parse_near
from .models import RescueTeam
from .search import depots_near, teams_near


def _teams(request: AuthedRequest) -> Any:
    return restrict(RescueTeam, request.user).select_related("region", "enterprise", "department")


def _choices() -> dict[str, Any]:
    return {
        "kinds": TeamKind.choices,
        "specialities": Speciality.choices,
        "readinesses": Readiness.choices,
        "departments": Department.objects.order_by("order", "id"),
    }


@login_required
@remember_filters
def team_list(request: AuthedRequest) -> HttpResponse:
    qs = _teams(request)
    kind = request.GET.get("kind", "")
    if kind in TeamKind.values:
        qs = qs.filter(kind=kind)
    speciality = request.GET.get("speciality", "")
    if speciality in Speciality.values:
        qs = qs.filter(speciality=speciality)
    if request.GET.get("region"):
        qs = qs.filter(subtree(request.GET["region"]))
    return render(
        request,
        "rescue/team_list.html",
        {"page": paginate(request, qs), "may_add": role_may(request.user, RescueTeam, CHANGE), **_choices()},
    )


@login_required
def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_in_scope(_teams(request), request.user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "rescue/team_detail.html",
        {
            "t": team,
            "members": list(team.members.all()),
            "rosters": list(team.rosters.filter(day__gte=today).order_by("day")[:7]),
            "may_edit": in_scope(team, request.user, CHANGE),
        },
    )


def _form(
    request: AuthedRequest, team: RescueTeam | None, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in TEAM_FIELDS + OWNER_FIELDS}
    elif team is not None:
        values = {f: getattr(team, f, "") for f in TEAM_FIELDS if f != "members"}
        values["members"] = members_text(team.members.all())
    else:
        values = {"readiness": Readiness.READY}
    return render(
        request,
        "rescue/team_form.html",
        {
            "t": team,
            "v": values,
            "errors": errors,
            "owner_free": not request.user.enterprise_id,
            **_choices(),
        },
        status=status,
    )


@login_required
def team_new(request: AuthedRequest) -> HttpResponse:
    if not role_may(request.user, RescueTeam, CHANGE):
        raise PermissionDenied
    if request.method != "POST":
        return _form(request, None, {})
    try:
        team = services.create_team(request.user, raw(request.POST, TEAM_FIELDS + OWNER_FIELDS))
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return _form(request, None, _errors(exc), _status(exc))
    return redirect("rescue:team", team.pk)


@login_required
def team_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_in_scope(_teams(request), request.user, pk=pk)
    if not in_scope(team, request.user, CHANGE):  # seen (a shared force, ADR 0057) but not theirs to change
        raise PermissionDenied
    if request.method != "POST":
        return _form(request, team, {})
    try:
        services.update_team(request.user, team, raw(request.POST, TEAM_FIELDS), partial=False)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return _form(request, team, _errors(exc), _status(exc))
    return redirect("rescue:team", team.pk)


# ---- the search ----------------------------------------------------------------------------------------------


@login_required
def search(request: AuthedRequest) -> HttpResponse:
    """Pick a point (click the map, type it, or choose an enterprise), a radius (20 km) and optionally an item:
    the teams and depots within it, nearest first, with distance, contact and matching stock."""
    user = request.user
    errors: dict[str, str] = {}
    teams, depots = [], []
    near, km, item = request.GET.get("near", "").strip(), request.GET.get("within_km", "").strip(), ""
    enterprise = request.GET.get("enterprise", "").strip()
    if enterprise and not near:
        e = restrict(Enterprise, user).filter(pk=enterprise if enterprise.isdigit() else 0).first()
        if e is not None and e.latitude is not None:
            near = f"{e.latitude},{e.longitude}"
    item = request.GET.get("item", "").strip()[:50]
    where = None
    try:
        where = parse_near(near, km)
    except ValidationFailed as exc:
        errors = _errors(exc)
    if where is not None:
        teams = teams_near(user, where[0], where[1])
        depots = depots_near(user, where[0], where[1], item)
    points = [
        {
            "kind": "team",
            "name": f.obj.name,
            "lat": float(f.obj.latitude),
            "lng": float(f.obj.longitude),
            "km": round(f.km, 2),
        }
        for f in teams
    ] + [
        {
            "kind": "depot",
            "name": f.obj.name,
            "lat": float(f.obj.latitude),
            "lng": float(f.obj.longitude),
            "km": round(f.km, 2),
        }
        for f in depots
    ]
    centre = {"lat": where[0].latitude, "lng": where[0].longitude, "km": where[1]} if where else None
    return render(
        request,
        "rescue/search.html",
        {
            "near": near,
            "within_km": km or f"{DEFAULT_KM:g}",
            "item": item,
            "errors": errors,
            "teams": teams,
            "depots": depots,
            "searched": where is not None,
            "map": {"centre": centre, "points": points},
            "enterprises": restrict(Enterprise, user).filter(latitude__isnull=False).order_by("name")[:200],
            "enterprise": enterprise,
        },
        status=422 if errors else 200,
    )


@login_required
def stats_page(request: AuthedRequest) -> HttpResponse:
    errors: list[Any] = []
    region = region_field(request.GET.get("region"), request.user, errors)
    if region is None:
        region = request.user.region
    assert region is not None  # every desk account has a region
    figures = stats.summary(request, region.code, timezone.localdate())
    return render(request, "rescue/stats.html", {"s": figures, "region": region})
