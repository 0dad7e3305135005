"""Pages of data gateways: an enterprise's gateways (or all in scope), issuing one — the key is shown on the answer
to the POST once, with the MQTT topic, the HTTP endpoint and a payload example, and never again — and revoking one."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.enterprises.models import Enterprise
from anquan.riskpoints.services import resolve_enterprise

from . import gateway_keys, points
from .models import Gateway, IngestRejection

HTTP_PATH = "/api/v1/monitoring/readings"


def _page(
    request: AuthedRequest,
    *,
    errors: dict[str, str] | None = None,
    issued: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404
    qs = restrict(Gateway, request.user).select_related("enterprise")
    enterprise = None
    pk = request.GET.get("enterprise", "")
    if pk.isdigit():
        enterprise = get_in_scope(Enterprise, request.user, pk=int(pk))
        qs = qs.filter(enterprise=enterprise)
    elif request.user.enterprise_id:
        enterprise = request.user.enterprise
    page = paginate(request, qs.order_by("revoked_at", "enterprise__name", "code"))
    _attach_rejections(request, list(page.object_list))
    return render(
        request,
        "monitoring/gateways.html",
        {
            "page": page,
            "enterprise": enterprise,
            "may_configure": has_perm(request.user, Perm.MONITORING_CONFIGURE)
            and (enterprise is None or points.can_configure(request.user, enterprise)),
            "errors": errors or {},
            "values": {f: request.POST.get(f, "") for f in ("enterprise", "code", "name")}
            if request.method == "POST"
            else {},
            "issued": issued,
            "http_path": HTTP_PATH,
        },
        status=status,
    )


@login_required
def gateway_list(request: AuthedRequest) -> HttpResponse:
    return _page(request)


REJECTION_DAYS = 7


def _attach_rejections(request: AuthedRequest, shown: list[Gateway]) -> None:
    """Each shown gateway's readings refused in the last 7 days, by reason, with the latest example (one query):
    what its enterprise must fix (unknown devices, bad values, clocks out of step)."""
    since = timezone.localdate() - dt.timedelta(days=REJECTION_DAYS - 1)
    rows = (
        restrict(IngestRejection, request.user)
        .filter(gateway__in=shown, day__gte=since)
        .order_by("gateway_id", "reason", "-day")
    )
    found: dict[int, dict[str, dict[str, Any]]] = {}
    for row in rows:
        reasons = found.setdefault(row.gateway_id or 0, {})
        entry = reasons.setdefault(
            row.reason, {"label": row.get_reason_display(), "count": 0, "example": row.example}
        )
        entry["count"] += row.count
    for gateway in shown:
        gateway.refused = list(found.get(gateway.pk, {}).values())  # type: ignore[attr-defined]


def _example(code: str) -> str:
    now = timezone.localtime().replace(microsecond=0).isoformat()
    body = {"readings": [{"device_id": "GT-101", "ts": now, "value": 12.5}]}
    return json.dumps(body, ensure_ascii=False, indent=2)


@login_required
@require_POST
@never_cache
def gateway_issue(request: AuthedRequest) -> HttpResponse:
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404
    found: list[FieldError] = []
    enterprise = resolve_enterprise(request.POST.get("enterprise"), request.user, found)
    try:
        if enterprise is None:
            raise ValidationFailed(found)
        gateway, key = gateway_keys.issue(
            enterprise,
            code=request.POST.get("code", ""),
            name=request.POST.get("name", ""),
            actor=request.user,
        )
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return _page(request, errors=_errors(exc), status=_status(exc))
    issued = {
        "gateway": gateway,
        "key": key,
        "topic": gateway_keys.topic(gateway.code),
        "endpoint": request.build_absolute_uri(HTTP_PATH),
        "example": _example(gateway.code),
    }
    return _page(request, issued=issued)


@login_required
@require_POST
def gateway_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    if not has_perm(request.user, Perm.MONITORING_VIEW):
        raise Http404
    gateway = get_in_scope(Gateway.objects.select_related("enterprise"), request.user, pk=pk)
    try:
        if gateway.revoked_at is None:
            gateway_keys.revoke(gateway, actor=request.user)
            messages.success(request, f"网关“{gateway.name}”已吊销，其密钥立即失效")
    except (NotPermitted, Conflict) as exc:
        messages.error(request, exc.message)
    return redirect(reverse("monitoring:gateways") + f"?enterprise={gateway.enterprise_id}")
