"""The seizure cards' forms on the inspection page (templatetags/seizures.py): extend (经负责人批准延长) and release
(解除); a refusal shows the inspection page again with the messages under that card's fields."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.core.errors import Conflict, NotPermitted, ValidationFailed, form_errors, http_status
from anquan.core.scope import get_in_scope

from . import seizure, views


def _act(request: HttpRequest, pk: int, sid: int, action: str, raw: dict[str, Any]) -> HttpResponse:
    insp = views._get(request, pk)
    found = get_in_scope(seizure.scoped(request.user).filter(inspection=insp), request.user, pk=sid)
    try:
        (seizure.extend if action == "extend" else seizure.release)(found, raw, actor=request.user)
    except (ValidationFailed, Conflict, NotPermitted) as exc:
        return views._detail(
            request,
            insp,
            errors=form_errors(exc),
            status=http_status(exc),
            open_form=f"seizure-{sid}-{action}",
        )
    messages.success(request, _("Extended.") if action == "extend" else _("Released."))
    return redirect("inspections:detail", pk=pk)


@login_required
@require_POST
def extend(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    raw = {k: request.POST[k] for k in ("days", "reason", "approved_on") if request.POST.get(k)}
    return _act(request, pk, sid, "extend", raw)


@login_required
@require_POST
def release(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    raw: dict[str, Any] = {k: request.POST[k] for k in ("released_on", "note") if request.POST.get(k)}
    raw["items"] = request.POST.getlist("items")
    return _act(request, pk, sid, "release", raw)
