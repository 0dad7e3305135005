"""Pages of maintenance windows: the requests in scope (those waiting for the user's decision first), asking for a
window from a point's page, and the steps approve / reject / cancel (maintenance.FLOW)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope

from . import maintenance, points
from .choices import MaintenanceStatus


def _viewer(request: AuthedRequest) -> None:
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404


@login_required
@remember_filters
def maintenance_list(request: AuthedRequest) -> HttpResponse:
    _viewer(request)
    qs = maintenance.windows(request.user)
    status = request.GET.get("status", "")
    if status in MaintenanceStatus.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs.order_by("-starts_at", "-id"))
    rows = maintenance.with_actions(page.object_list, request.user)
    return render(
        request,
        "monitoring/maintenance_list.html",
        {
            "page": page,
            "rows": rows,
            "statuses": MaintenanceStatus.choices,
        },
    )


@login_required
@require_POST
def maintenance_request(request: AuthedRequest, pk: int) -> HttpResponse:
    _viewer(request)
    point = get_in_scope(points.visible(request.user), request.user, pk=pk)
    raw = {f: request.POST.get(f, "") for f in ("starts_at", "ends_at", "reason")}
    try:
        maintenance.request(point, raw, actor=request.user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        windows = list(maintenance.windows(request.user).filter(point=point).order_by("-starts_at")[:20])
        return render(
            request,
            "monitoring/point_detail.html",
            {
                "p": point,
                "may_configure": points.can_configure(request.user, point.enterprise),
                "windows": maintenance.with_actions(windows, request.user),
                "placeholder": points.PLACEHOLDER,
                "errors": _errors(exc),
                "values": raw,
            },
            status=_status(exc),
        )
    messages.success(request, "维护申请已提交，待行业监管部门或县级安委办审批")
    return redirect("monitoring:point", pk=point.pk)


@login_required
@require_POST
def maintenance_step(request: AuthedRequest, pk: int) -> HttpResponse:
    _viewer(request)
    window = get_in_scope(maintenance.windows(request.user), request.user, pk=pk)
    action = request.POST.get("action", "")
    if action not in maintenance.FLOW.transitions:
        raise Http404
    try:
        maintenance.step(window, action, actor=request.user, note=request.POST.get("decision_note", ""))
        messages.success(request, f"已{maintenance.FLOW.transitions[action].label}")
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        messages.error(request, "；".join(_errors(exc).values()))
    if request.POST.get("next") == "point":
        return redirect("monitoring:point", pk=window.point_id)
    return redirect("monitoring:maintenance")
