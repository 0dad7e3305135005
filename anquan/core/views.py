from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from anquan.accounts.roles import Perm, has_perm
from anquan.accounts.scope import restrict
from anquan.enterprises import filters as enterprise_filters
from anquan.enterprises.choices import Status
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import OPEN_STATUSES
from anquan.hazards.models import Hazard
from anquan.regions.models import counts_by_child

from . import audit
from .models import Notification


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
        from anquan.riskmap.overview import overview

        risk = overview(request.user)
    return render(
        request,
        "core/home.html",
        {
            "risk": risk,
            "totals": totals,
            "hazards": hazards,
            "by_industry": by_industry,
            "by_department": by_department,
            "children": children,
        },
    )


@login_required
def search(request):
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        results = list(
            enterprise_filters.search(restrict(Enterprise, request.user), q)
            .select_related("region", "industry")
            .order_by("name")[:50]
        )
    return render(request, "core/search.html", {"q": q, "results": results})


@login_required
def audit_log(request):
    if not has_perm(request.user, Perm.AUDIT_VIEW):
        raise PermissionDenied
    wanted = {k: request.GET.get(k, "")[:150] for k in ("model", "object_id", "actor", "action")}
    qs = audit.filtered(request.user, wanted)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page})


@login_required
def notifications(request):
    qs = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        qs.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("core:notifications")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
def notification_open(request, pk):
    note = Notification.objects.filter(user=request.user, pk=pk).first()
    if note is None:
        raise Http404
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    return redirect(note.url or "core:notifications")
