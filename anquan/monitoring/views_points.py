"""Pages of monitoring points: the list in scope (a table at desk width, cards on a phone), registering and changing
a point (thresholds pre-filled by kind, GB/T 50493-2019 5.5.2), a point's page (its maintenance windows), retiring
it, and generating an installation's required points."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.enterprises.models import Enterprise
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints.services import resolve_enterprise

from . import maintenance, points
from .choices import PointKind, PointState
from .models import MonitoringPoint

FORM_FIELDS = (
    "enterprise",
    "installation",
    "device_id",
    "name",
    "location",
    "kind",
    "unit",
    "oel",
    *points.THRESHOLDS,
    "expected_interval_s",
)


def _viewer(user: Any) -> None:
    if not has_perm(user, Perm.MONITORING_VIEW):
        raise Http404


@login_required
@remember_filters
def point_list(request: AuthedRequest) -> HttpResponse:
    _viewer(request.user)
    qs = points.visible(request.user)
    kind, state = request.GET.get("kind", ""), request.GET.get("state", "")
    if kind in PointKind.values:
        qs = qs.filter(kind=kind)
    if state in PointState.values:
        qs = qs.filter(state=state)
    if request.GET.get("retired") == "true":
        qs = qs.filter(retired_at__isnull=False)
    else:
        qs = qs.filter(retired_at__isnull=True)
    enterprise = request.GET.get("enterprise", "")
    if enterprise.isdigit():
        qs = qs.filter(enterprise_id=int(enterprise))
    q = request.GET.get("q", "").strip()
    if q:
        qs = (
            qs.filter(device_id__icontains=q)
            | qs.filter(name__icontains=q)
            | qs.filter(enterprise__name__icontains=q)
        )
    return render(
        request,
        "monitoring/points_list.html",
        {
            "page": paginate(request, qs.order_by("enterprise__name", "device_id")),
            "kinds": PointKind.choices,
            "states": PointState.choices,
            "may_configure": has_perm(request.user, Perm.MONITORING_CONFIGURE),
            "placeholder": points.PLACEHOLDER,
        },
    )


def _enterprise_of(request: AuthedRequest) -> Enterprise | None:
    """The enterprise a new point's form is for: ?enterprise=<id>, or the user's own."""
    pk = request.GET.get("enterprise", "")
    if pk.isdigit():
        return get_in_scope(Enterprise, request.user, pk=int(pk))
    return request.user.enterprise if request.user.enterprise_id else None


def _form(
    request: AuthedRequest,
    *,
    point: MonitoringPoint | None,
    enterprise: Enterprise | None,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    installations = (
        restrict(MajorHazardInstallation, request.user).filter(enterprise=enterprise).order_by("name")
        if enterprise is not None
        else MajorHazardInstallation.objects.none()
    )
    return render(
        request,
        "monitoring/point_form.html",
        {
            "point": point,
            "enterprise": enterprise,
            "installations": installations,
            "values": values,
            "errors": errors or {},
            "kinds": PointKind.choices,
            "defaults": points.defaults_table(enterprise.region_code if enterprise else ""),
            "basis": points.SETPOINT_BASIS,
            "thresholds": [
                (n, points.LABELS[n], values.get(n), (errors or {}).get(n)) for n in points.THRESHOLDS
            ],
            "form_error": (errors or {}).get(""),
        },
        status=status,
    )


@login_required
def point_new(request: AuthedRequest) -> HttpResponse:
    _viewer(request.user)
    if not has_perm(request.user, Perm.MONITORING_CONFIGURE):
        raise Http404
    enterprise = _enterprise_of(request)
    if request.method != "POST":
        values: dict[str, Any] = {
            "expected_interval_s": 10,
            "installation": request.GET.get("installation", ""),
        }
        if enterprise is not None:
            values["enterprise"] = enterprise.uscc
        return _form(request, point=None, enterprise=enterprise, values=values)
    raw = {f: request.POST.get(f, "") for f in FORM_FIELDS}
    found: list[FieldError] = []
    enterprise = resolve_enterprise(raw.pop("enterprise"), request.user, found)
    try:
        if enterprise is None:
            raise ValidationFailed(found)
        point = points.create(enterprise, raw, actor=request.user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        raw["enterprise"] = request.POST.get("enterprise", "")
        return _form(
            request, point=None, enterprise=enterprise, values=raw, errors=_errors(exc), status=_status(exc)
        )
    messages.success(request, f"已登记监测点“{point.name}”")
    return redirect("monitoring:point", pk=point.pk)


@login_required
def point_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _viewer(request.user)
    point = get_in_scope(points.visible(request.user), request.user, pk=pk)
    windows = list(maintenance.windows(request.user).filter(point=point).order_by("-starts_at")[:20])
    return render(
        request,
        "monitoring/point_detail.html",
        {
            "p": point,
            "may_configure": points.can_configure(request.user, point.enterprise),
            "windows": maintenance.with_actions(windows, request.user),
            "placeholder": points.PLACEHOLDER,
            "errors": {},
            "values": {},
        },
    )


@login_required
def point_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _viewer(request.user)
    point = get_in_scope(points.visible(request.user), request.user, pk=pk)
    if not points.can_configure(request.user, point.enterprise):
        raise Http404
    if request.method != "POST":
        values = {f: getattr(point, f) for f in FORM_FIELDS if f not in ("enterprise", "installation", "oel")}
        values |= {"installation": point.installation_id or "", "enterprise": point.enterprise.uscc}
        return _form(request, point=point, enterprise=point.enterprise, values=values)
    raw = {f: request.POST.get(f, "") for f in FORM_FIELDS if f not in ("enterprise", "oel")}
    try:
        points.update(point, raw, actor=request.user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        raw["enterprise"] = point.enterprise.uscc
        return _form(
            request,
            point=point,
            enterprise=point.enterprise,
            values=raw,
            errors=_errors(exc),
            status=_status(exc),
        )
    messages.success(request, "已保存")
    return redirect("monitoring:point", pk=point.pk)


@login_required
@require_POST
def point_retire(request: AuthedRequest, pk: int) -> HttpResponse:
    _viewer(request.user)
    point = get_in_scope(points.visible(request.user), request.user, pk=pk)
    try:
        points.retire(point, actor=request.user)
        messages.success(request, "监测点已停用")
    except (NotPermitted, Conflict) as exc:
        messages.error(request, exc.message)
    return redirect("monitoring:point", pk=point.pk)


@login_required
@require_POST
def installation_generate(request: AuthedRequest, pk: int) -> HttpResponse:
    """按必配监测项生成监测点 from the installation's page."""
    _viewer(request.user)
    inst = get_in_scope(
        restrict(MajorHazardInstallation, request.user).select_related("enterprise"), request.user, pk=pk
    )
    try:
        created = points.generate_required(inst, actor=request.user)
    except NotPermitted as exc:
        messages.error(request, exc.message)
        return redirect("majorhazards:installation", pk=inst.pk)
    if created:
        messages.success(request, f"已生成{len(created)}个监测点，请逐一填写设备编号并核对阈值")
    else:
        messages.info(request, "每个必配监测项都已有监测点，未生成新的监测点")
    return redirect("majorhazards:installation", pk=inst.pk)
