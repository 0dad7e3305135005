"""我的抽查任务: an inspector's random-inspection tasks as phone cards (ADR 0019), starting the inspection from
the card and entering the pick's result from it once the inspection is done (tasks.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.permissions import Perm, has_perm

from . import services, tasks
from .choices import PickResult
from .models import DrawPick


def _require_inspector(request: AuthedRequest) -> None:
    if not has_perm(request.user, Perm.INSPECTION_CONDUCT):
        raise Http404


@login_required
def my_tasks(
    request: AuthedRequest,
    failed: tuple[int, int] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    _require_inspector(request)
    open_, done = tasks.tasks_of(request.user)
    return render(
        request,
        "draws/tasks.html",
        {
            "open": open_,
            "done": done,
            "results": PickResult.choices,
            "failed": failed,
            "errors": list((errors or {}).values()),
        },
        status=status,
    )


def _pick(request: AuthedRequest, pk: int, position: int) -> DrawPick:
    _require_inspector(request)
    pick = tasks.pick_of(request.user, pk, position)
    if pick is None:
        raise Http404
    return pick


@login_required
@require_POST
def start(request: AuthedRequest, pk: int, position: int) -> HttpResponse:
    pick = _pick(request, pk, position)
    try:
        inspection = tasks.start_inspection(pick, actor=request.user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return my_tasks(request, (pk, position), _errors(exc), _status(exc))
    messages.success(request, _("Inspection of %(name)s started.") % {"name": pick.enterprise_name})
    return redirect("inspections:detail", pk=inspection.pk)


@login_required
@require_POST
def result(request: AuthedRequest, pk: int, position: int) -> HttpResponse:
    pick = _pick(request, pk, position)
    raw = {"result": request.POST.get("result", ""), "result_text": request.POST.get("result_text", "")}
    try:
        services.enter_result(pick, raw, actor=request.user)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return my_tasks(request, (pk, position), _errors(exc), _status(exc))
    messages.success(request, _("Result saved for %(name)s.") % {"name": pick.enterprise_name})
    return redirect("draws:tasks")
