"""The duty roster page: a week grid (units × days) on desktop, today's duty as cards on phones, the form to put
someone on duty and the units that must keep duty and have no roster for the day (the rule in force, marked
when unverified)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from anquan.accounts.http import AuthedRequest
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.scope import CHANGE, restrict, role_may
from anquan.orgs.models import Department

from . import duty
from .forms import ROSTER_FIELDS, raw
from .models import DutyRoster, RescueTeam


def _day(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return default


@login_required
def rosters(request: AuthedRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            duty.create_roster(request.user, raw(request.POST, ROSTER_FIELDS))
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            errors, status = _errors(exc), _status(exc)
        else:
            return redirect(f"{request.path}?day={request.POST.get('day', '')}")
    return _page(request, errors, status)


def _page(request: AuthedRequest, errors: dict[str, str], status: int) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    day = _day(request.GET.get("day", ""), today)
    start = day - dt.timedelta(days=day.weekday())
    days = [start + dt.timedelta(days=i) for i in range(7)]
    rows = restrict(DutyRoster, user).filter(day__gte=days[0], day__lte=days[-1])
    rows = rows.select_related("region", "enterprise", "department", "team")
    grid: dict[str, dict[dt.date, DutyRoster]] = {}
    for r in rows.order_by("region_code", "id"):
        grid.setdefault(r.unit_label, {})[r.day] = r
    code = user.region.code if user.region is not None else ""  # a system administrator may have none
    version = duty.rule(day, code)
    context: dict[str, Any] = {
        "day": day,
        "today": today,
        "days": days,
        "prev": (start - dt.timedelta(days=7)).isoformat(),
        "next": (start + dt.timedelta(days=7)).isoformat(),
        "grid": [(unit, [cells.get(d) for d in days]) for unit, cells in sorted(grid.items())],
        "on_day": [r for r in rows if r.day == day],
        "missing": duty.missing(user, day, code),
        "rule": version,
        "teams": restrict(RescueTeam, user, CHANGE).order_by("name")[:300],
        "departments": Department.objects.order_by("order", "id"),
        "may_add": role_may(user, DutyRoster, CHANGE),
        "owner_free": not user.enterprise_id,
        "errors": errors,
        "v": request.POST if request.method == "POST" else {"day": day.isoformat()},
    }
    return render(request, "rescue/rosters.html", context, status=status)
