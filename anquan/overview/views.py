"""Cross-domain pages: each role's home (a phone home of large entries for field roles, the to-do panel, the
overview of the user's area and trend charts for desk roles) and the site search."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from anquan.accounts.http import AuthedRequest
from anquan.core.context import is_field
from anquan.core.scope import restrict
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import OPEN_STATUSES
from anquan.hazards.models import Hazard
from anquan.regions.models import counts_by_child
from anquan.riskmap.overview import overview as risk_overview

from . import field, trends


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    if is_field(request.user):
        return field_home(request)
    return desk_home(request)


def field_home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "overview/field_home.html",
        # the page lists the to-dos: the menu's count comes with it rather than after it
        {"tiles": field.tiles(user), "recent": field.recent(user), "todo_inline": True},
    )


def desk_home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    enterprises = restrict(Enterprise, user)
    totals = enterprises.aggregate(
        total=Count("id"),
        operating=Count("id", filter=Q(status=Status.OPERATING)),
        key=Count("id", filter=Q(key_supervision=True)),
        above=Count("id", filter=Q(scale="above")),
    )
    by_industry = (
        enterprises.values("industry__code", "industry__name").annotate(n=Count("id")).order_by("-n")[:12]
    )
    by_department = (
        enterprises.values("supervising_department__name").annotate(n=Count("id")).order_by("-n")[:12]
    )
    children = []
    if user.region is not None and not user.enterprise_id:
        children = counts_by_child(enterprises, user.region)
    year = timezone.localdate().year
    open_ = Q(status__in=OPEN_STATUSES)
    hazards = restrict(Hazard, user).aggregate(
        open=Count("id", filter=open_),
        overdue=Count("id", filter=open_ & Q(overdue=True)),
        major_open=Count("id", filter=open_ & Q(level="major")),
        found_this_year=Count("id", filter=Q(found_at__year=year)),
        closed_this_year=Count("id", filter=Q(found_at__year=year, status="closed")),
    )
    risk = None
    if user.region is not None and not user.enterprise_id:
        risk = risk_overview(user)
    area_kind, by_area = trends.by_area(user)
    return render(
        request,
        "overview/home.html",
        {
            "todo_inline": True,  # the page lists the to-dos: the menu's count comes with it rather than after it
            "monthly": trends.monthly(user),
            "area_kind": area_kind,
            "by_area": by_area,
            "area_has_data": any(row["found"] or row["overdue"] for row in by_area),
            "risk": risk,
            "totals": totals,
            "hazards": hazards,
            "by_industry": by_industry,
            "by_department": by_department,
            "children": children,
        },
    )
