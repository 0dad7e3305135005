"""Cross-domain pages: the home overview of the user's area (enterprises, hazards, risk) and the site search."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from anquan.core.scope import restrict
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import OPEN_STATUSES
from anquan.hazards.models import Hazard
from anquan.regions.models import counts_by_child
from anquan.riskmap.overview import overview as risk_overview


@login_required
def home(request):
    enterprises = restrict(Enterprise, request.user)
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
    if request.user.region is not None and not request.user.enterprise_id:
        children = counts_by_child(enterprises, request.user.region)
    year = timezone.localdate().year
    open_ = Q(status__in=OPEN_STATUSES)
    hazards = restrict(Hazard, request.user).aggregate(
        open=Count("id", filter=open_),
        overdue=Count("id", filter=open_ & Q(overdue=True)),
        major_open=Count("id", filter=open_ & Q(level="major")),
        found_this_year=Count("id", filter=Q(found_at__year=year)),
        closed_this_year=Count("id", filter=Q(found_at__year=year, status="closed")),
    )
    risk = None
    if request.user.region is not None and not request.user.enterprise_id:
        risk = risk_overview(request.user)
    return render(
        request,
        "overview/home.html",
        {
            "risk": risk,
            "totals": totals,
            "hazards": hazards,
            "by_industry": by_industry,
            "by_department": by_department,
            "children": children,
        },
    )
