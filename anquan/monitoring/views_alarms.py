"""The alarm pages: the alarms in scope with filters (cards on a phone), one alarm with its history, the step
forms, the disposal photos and "open a hazard". The API is api_alarms.py; the steps themselves actions.py."""

from __future__ import annotations

import datetime as dt
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
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.inputs import filter_date
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict, within
from anquan.core.uploads import file_response

from . import actions
from .choices import OPEN_ALARM_STATUSES, TAMPER_SIGNS, AlarmKind, AlarmStatus, Level
from .models import Alarm, AlarmPhoto
from .workflow import FLOW

LEVEL_COLOURS = {Level.RED: "danger", Level.ORANGE: "warning", Level.YELLOW: "warning", Level.BLUE: "primary"}
STATUS_COLOURS = {
    AlarmStatus.RAISED: "danger",
    AlarmStatus.ACKNOWLEDGED: "warning",
    AlarmStatus.DISPOSING: "info",
    AlarmStatus.RECOVERED: "success",
    AlarmStatus.CLOSED: "secondary",
}


def _viewer(user: User) -> None:
    if not has_perm(user, Perm.MONITORING_VIEW):
        raise Http404


def _alarms(user: User) -> QuerySet[Alarm]:
    return restrict(Alarm, user).select_related("point", "enterprise")


def filtered(user: User, params: Any) -> QuerySet[Alarm]:
    """The alarms in scope narrowed by the list's filters (pages and API share it); a bad date is a 422."""
    qs = _alarms(user)
    status = params.get("status", "")
    if status == "open":
        qs = qs.filter(status__in=OPEN_ALARM_STATUSES)
    elif status in AlarmStatus.values:
        qs = qs.filter(status=status)
    if params.get("level", "") in Level.values:
        qs = qs.filter(level=params["level"])
    if params.get("kind", "") in AlarmKind.values:
        qs = qs.filter(kind=params["kind"])
    region = str(params.get("region", "") or "").strip()[:12]
    if region.isdigit():
        qs = qs.filter(within(region.rstrip("0") or region))
    enterprise = str(params.get("enterprise", "") or "").strip()[:100]
    if enterprise.isdigit():
        qs = qs.filter(enterprise_id=int(enterprise))
    elif enterprise:
        qs = qs.filter(enterprise__name__contains=enterprise)
    if params.get("escalated") in ("1", "true"):
        qs = qs.exclude(escalated_to="")
    start = filter_date(params.get("from"), "from")
    end = filter_date(params.get("to"), "to")
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(raised_at__gte=dt.datetime.combine(start, dt.time.min, tz))
    if end:
        qs = qs.filter(raised_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tz))
    return qs


@login_required
@remember_filters
def alarm_list(request: AuthedRequest) -> HttpResponse:
    _viewer(request.user)
    errors: dict[str, str] = {}
    try:
        qs = filtered(request.user, request.GET)
    except ValidationFailed as exc:
        errors, qs = _errors(exc), _alarms(request.user).none()
    page = paginate(request, qs)
    for alarm in page.object_list:
        alarm.level_colour = LEVEL_COLOURS.get(alarm.level, "secondary")
        alarm.status_colour = STATUS_COLOURS.get(alarm.status, "secondary")
    return render(
        request,
        "monitoring/alarms/list.html",
        {
            "page": page,
            "statuses": AlarmStatus.choices,
            "levels": Level.choices,
            "kinds": AlarmKind.choices,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def alarm_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200, form: str = ""
) -> HttpResponse:
    user = request.user
    _viewer(user)
    alarm = get_in_scope(_alarms(user), user, pk=pk)
    return render(
        request,
        "monitoring/alarms/detail.html",
        {
            "a": alarm,
            "available": [a for a in FLOW.available(alarm, user) if a in actions.PERSON_STEPS],
            "labels": {a: FLOW.transitions[a].label for a in FLOW.transitions},
            "events": list(alarm.events.all()),
            "photos": list(alarm.photos.all()),
            "may_photo": actions.can_add_photo(alarm, user),
            "may_hazard": actions.can_open_hazard(alarm, user),
            "tamper": alarm.kind in TAMPER_SIGNS,
            "level_colour": LEVEL_COLOURS.get(Level(alarm.level), "secondary"),
            "status_colour": STATUS_COLOURS.get(AlarmStatus(alarm.status), "secondary"),
            "errors": errors or {},
            "form": form,
            "values": {f: request.POST.get(f, "") for f in ("disposal", "comment", "description")}
            if request.method == "POST"
            else {},
        },
        status=status,
    )


@login_required
@require_POST
def alarm_transition(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _viewer(user)
    alarm = get_in_scope(_alarms(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields = FLOW.declared(action, request.POST) if action in FLOW.transitions else {}
    try:
        actions.transition(alarm, action, actor=user, **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return alarm_detail(request, pk, errors=_errors(exc), status=_status(exc), form=action)
    messages.success(request, f"已{FLOW.transitions[action].label}")
    return redirect("monitoring:alarm", pk=pk)


@login_required
@require_POST
def alarm_photo_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _viewer(user)
    alarm = get_in_scope(_alarms(user), user, pk=pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed([FieldError("file", "required", "请选择照片")])
        actions.add_photo(alarm, upload, actor=user)
    except (ValidationFailed, NotPermitted) as exc:
        return alarm_detail(request, pk, errors=_errors(exc), status=_status(exc), form="photo")
    messages.success(request, "照片已上传")
    return redirect("monitoring:alarm", pk=pk)


@login_required
def alarm_photo(request: AuthedRequest, pk: int, photo: int) -> FileResponse:
    _viewer(request.user)
    alarm = get_in_scope(_alarms(request.user), request.user, pk=pk)
    row = AlarmPhoto.objects.filter(alarm=alarm, pk=photo).first()
    if row is None:
        raise Http404
    return file_response(row.file, content_type=row.content_type, name=row.name)


@login_required
@require_POST
def alarm_hazard(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    _viewer(user)
    alarm = get_in_scope(_alarms(user), user, pk=pk)
    try:
        hazard = actions.open_hazard(alarm, actor=user, description=request.POST.get("description", ""))
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return alarm_detail(request, pk, errors=_errors(exc), status=_status(exc), form="hazard")
    messages.success(request, f"已登记隐患 {hazard.number}")
    return redirect("monitoring:alarm", pk=pk)
