"""The loop dashboard (/enforcement/loops/): open loops, overdue reviews and cases by stage for a region in the
user's scope, with a drill-down by township (child region) and by department (loops.py counts)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from anquan.core.errors import ValidationFailed, form_errors
from anquan.core.permissions import Role
from anquan.core.scope import region_in_scope
from anquan.inspections.reviews import countdown_of
from anquan.orgs.models import Department
from anquan.regions.models import Region

from . import loops

# who reads the loop: the committee offices from the county up and the departments' supervisors
LOOP_ROLES = frozenset(
    {Role.PROVINCE_OFFICE, Role.CITY_OFFICE, Role.COUNTY_OFFICE, Role.DEPARTMENT_SUPERVISOR, Role.SYSADMIN}
)


def _region(request: HttpRequest) -> Region:
    """`?region=` (default: the user's own); unknown or outside the user's scope: 404."""
    code = request.GET.get("region", "").strip() or request.user.region.code  # type: ignore[union-attr]
    region = Region.objects.filter(code=code[:12]).first()
    if region is None or not region_in_scope(request.user, region.code):
        raise Http404
    return region


def _department(request: HttpRequest) -> int | None:
    """A department supervisor sees their own department; others may pick one with `?department=`."""
    own = getattr(request.user, "department_id", None)
    if own:
        return int(own)
    raw = request.GET.get("department", "")
    if not raw:
        return None
    if not raw.isdigit() or not Department.objects.filter(pk=int(raw[:9])).exists():
        raise Http404
    return int(raw)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) not in LOOP_ROLES:
        raise PermissionDenied
    region = _region(request)
    department = _department(request)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    try:
        span = loops.period(request.GET.get("from"), request.GET.get("to"))
    except ValidationFailed as exc:
        errors, span = form_errors(exc), None
    keep = "&" + urlencode({"from": span.start.isoformat(), "to": span.end.isoformat()}) if span else ""
    overdue = list(loops.overdue_reviews(request.user, region, department, today, span)[: loops.LIST_LIMIT])
    user_region = request.user.region  # type: ignore[union-attr]
    trail = [a for a in region.ancestors() if region_in_scope(request.user, a.code)] + [region]
    return render(
        request,
        "enforcement/loops.html",
        {
            "region": region,
            "trail": trail if region != user_region else [region],
            "department": Department.objects.filter(pk=department).first() if department else None,
            "can_pick_department": not getattr(request.user, "department_id", None),
            "totals": loops.totals(request.user, region, department, today, span),
            "children": loops.by_child(request.user, region, department, today, span),
            "departments": loops.by_department(request.user, region, department, today, span),
            "stages": loops.by_stage(request.user, region, department, span),
            "overdue": [(r, countdown_of(r, today)[0]) for r in overdue],
            "stuck": list(
                loops.stuck_inspections(request.user, region, department, today, span)[: loops.LIST_LIMIT]
            ),
            "span": span,
            "keep": keep,
            "posted": request.GET,
            "errors": errors,
        },
        status=422 if errors else 200,
    )
