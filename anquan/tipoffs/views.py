"""The offices' pages: the tip-offs in scope, one tip-off (its photos, steps, internal notes and the step forms),
the reporter's identity (a POST that is audited; only for the roles allowed) and the statistics with their Excel.
The public pages are in views_public.py; the API in api.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict
from anquan.core.uploads import file_response
from anquan.orgs.models import Department
from anquan.rules.services import in_force

from . import actions, excel, rules, services
from .choices import STATUS_COLOURS, Action, Kind, Status
from .models import TipOff, TipOffPhoto
from .workflow import FLOW

STEP_FIELDS = (
    "department",
    "region",
    "reply",
    "enterprise",
    "fine_amount",
    "accident",
    "concealed_deaths",
    "paid_on",
    "comment",
)


def _tipoffs(user: User) -> QuerySet[TipOff]:
    return restrict(TipOff, user).select_related("region", "department")


def _handler(user: User) -> None:
    if not has_perm(user, Perm.TIPOFF_HANDLE):
        raise Http404


@login_required
@remember_filters
def tipoff_list(request: AuthedRequest) -> HttpResponse:
    _handler(request.user)
    qs = _tipoffs(request.user)
    status = request.GET.get("status", "")
    if status in Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    code = request.GET.get("code", "").strip().upper()
    if code:
        qs = qs.filter(tracking_code=code)
    return render(
        request,
        "tipoffs/list.html",
        {
            "page": paginate(request, qs),
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "colours": STATUS_COLOURS,
        },
    )


@login_required
def tipoff_detail(
    request: AuthedRequest,
    pk: int,
    errors: dict[str, str] | None = None,
    status: int = 200,
    identity: dict[str, Any] | None = None,
) -> HttpResponse:
    user = request.user
    _handler(user)
    t = get_in_scope(_tipoffs(user), user, pk=pk)
    version = in_force(rules.KIND, timezone.localdate(), t.region_code)
    return render(
        request,
        "tipoffs/detail.html",
        {
            "t": t,
            "colour": STATUS_COLOURS.get(Status(t.status), "secondary"),
            "available": FLOW.available(t, user),
            "actions": Action,
            "labels": {a: FLOW.transitions[a].label for a in FLOW.transitions},
            "departments": Department.objects.order_by("order", "id")
            if not user.department_id
            else Department.objects.filter(pk=user.department_id),
            "photos": list(t.photos.all()),
            "events": list(t.events.all()),
            "notes": list(t.notes.all()),
            "errors": errors or {},
            "values": {f: request.POST.get(f, "") for f in STEP_FIELDS} if request.method == "POST" else {},
            "may_identity": has_perm(user, Perm.TIPOFF_IDENTITY),
            "identity": identity,
            "rule": version,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def tipoff_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _handler(user)
    t = get_in_scope(_tipoffs(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields = FLOW.declared(action, request.POST) if action in FLOW.transitions else {}
    try:
        actions.transition(t, action, actor=user, **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return tipoff_detail(request, pk, errors=_errors(exc), status=_status(exc))
    messages.success(request, f"已{FLOW.transitions[action].label}")
    if restrict(TipOff, user).filter(pk=pk).exists():
        return redirect("tipoffs:detail", pk=pk)
    return redirect("tipoffs:list")  # routed to another department: no longer the user's to see


@login_required
@require_POST
def tipoff_note(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _handler(user)
    t = get_in_scope(_tipoffs(user), user, pk=pk)
    try:
        services.add_note(t, request.POST.get("text", ""), actor=user)
    except (ValidationFailed, NotPermitted) as exc:
        return tipoff_detail(request, pk, errors=_errors(exc), status=_status(exc))
    return redirect("tipoffs:detail", pk=pk)


@login_required
@require_POST
def tipoff_identity(request: AuthedRequest, pk: int) -> HttpResponse:
    """The reporter's identity, shown once on the page it was asked from; the view is audited."""
    user = request.user
    _handler(user)
    try:
        identity = services.reveal_identity(pk, user)
    except NotPermitted as exc:
        return tipoff_detail(request, pk, errors=_errors(exc), status=403)
    response = tipoff_detail(request, pk, identity=identity)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def tipoff_photo(request: AuthedRequest, pk: int, photo: int) -> FileResponse:
    _handler(request.user)
    t = get_in_scope(_tipoffs(request.user), request.user, pk=pk)
    row = TipOffPhoto.objects.filter(tipoff=t, pk=photo).first()
    if row is None:
        raise Http404
    return file_response(row.file, content_type=row.content_type, name=row.name)


def _period(request: AuthedRequest) -> Any:
    from anquan.core.inputs import filter_date

    return excel.period(
        request.user,
        request.GET.get("region") or None,
        filter_date(request.GET.get("from"), "from"),
        filter_date(request.GET.get("to"), "to"),
    )


@login_required
def tipoff_stats(request: AuthedRequest) -> HttpResponse:
    _handler(request.user)
    try:
        region, start, end = _period(request)
    except ValidationFailed as exc:
        return render(request, "tipoffs/stats.html", {"errors": _errors(exc)}, status=422)
    data = excel.figures(request.user, region, start, end)
    return render(
        request,
        "tipoffs/stats.html",
        {"s": data, "region": region, "errors": {}, "query": request.GET.urlencode()},
    )


@login_required
def tipoff_stats_export(request: AuthedRequest) -> HttpResponse:
    _handler(request.user)
    try:
        region, start, end = _period(request)
    except ValidationFailed as exc:
        return render(request, "tipoffs/stats.html", {"errors": _errors(exc)}, status=422)
    return excel.workbook_response(request.user, region, start, end)
