"""The live board `/monitoring/board/` (issue #16 item 5): the points of an area (a region down to one enterprise)
with their latest values and states, the counts on top and the open alarms; the page polls its fragment
`/monitoring/board/fragment/` every few seconds with the fragment's ETag and swaps it only when it changed (a 304
answer costs two aggregate queries and no rendering: docs/adr/0043-monitoring-live-board.md). Also the trend chart of a point
(`/monitoring/points/<id>/trend/` and its JSON) and the early-warning statistics page `/monitoring/stats/`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.inputs import filter_date
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, region_in_scope, restrict, within
from anquan.enterprises.models import Enterprise
from anquan.regions.models import Region

from . import board, stats, trend
from .models import Alarm, MonitoringPoint

POLL_SECONDS = 5


def _viewer(user: User) -> None:
    if not has_perm(user, Perm.MONITORING_VIEW):
        raise Http404


def _area(request: AuthedRequest) -> tuple[Any, Any, Any, Any]:
    """(points, alarms, region, enterprise) of the area the query names: `region` (a code in the user's scope, 404
    otherwise) and `enterprise` (an id in scope); without either, everything in the user's scope."""
    user = request.user
    points = restrict(MonitoringPoint, user)
    alarms = restrict(Alarm, user)
    region = enterprise = None
    code = (request.GET.get("region") or "").strip()
    if code:
        region = Region.objects.filter(code=code[:12]).first()
        if region is None or not region_in_scope(user, region.code):
            raise Http404
        points, alarms = points.filter(within(region.prefix)), alarms.filter(within(region.prefix))
    raw = (request.GET.get("enterprise") or "").strip()
    if raw:
        if not raw.isdigit() or len(raw) > 12:
            raise Http404
        enterprise = get_in_scope(Enterprise, user, pk=int(raw))
        points, alarms = points.filter(enterprise=enterprise), alarms.filter(enterprise=enterprise)
    return points, alarms, region, enterprise


def _enterprise_choices(user: User, region: Any) -> list[tuple[int, str]]:
    points = restrict(MonitoringPoint, user).filter(retired_at__isnull=True)
    if region is not None:
        points = points.filter(within(region.prefix))
    return list(
        points.values_list("enterprise_id", "enterprise__name").distinct().order_by("enterprise__name")[:500]
    )


@login_required
def board_page(request: AuthedRequest) -> HttpResponse:
    _viewer(request.user)
    points, alarms, region, enterprise = _area(request)
    query = request.GET.urlencode()
    return render(
        request,
        "monitoring/board.html",
        {
            "b": board.board(points, alarms),
            "etag": board.etag(points, alarms),
            "region": region,
            "enterprise": enterprise,
            "enterprises": _enterprise_choices(request.user, region),
            "query": query,
            "poll_seconds": POLL_SECONDS,
            "now": timezone.now(),
        },
    )


@login_required
def board_fragment(request: AuthedRequest) -> HttpResponse:
    """The board's changing part; 304 when the client's ETag is current (nothing rendered)."""
    _viewer(request.user)
    points, alarms, _region, _enterprise = _area(request)
    tag = board.etag(points, alarms)
    if request.headers.get("If-None-Match") == tag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = render(
            request, "monitoring/_board.html", {"b": board.board(points, alarms), "now": timezone.now()}
        )
    response["ETag"] = tag
    response["Cache-Control"] = "no-cache, private"
    return response


# --- trend -----------------------------------------------------------------------------------------------


@login_required
def trend_page(request: AuthedRequest, pk: int) -> HttpResponse:
    _viewer(request.user)
    point = get_in_scope(
        MonitoringPoint.objects.select_related("enterprise", "installation", "live"), request.user, pk=pk
    )
    return render(request, "monitoring/trend.html", {"point": point, "ranges": trend.RANGES})


@login_required
def trend_data(request: AuthedRequest, pk: int) -> JsonResponse:
    """The chart's series, thresholds and alarms of one range (hour | day | week | month) as JSON."""
    _viewer(request.user)
    point = get_in_scope(MonitoringPoint, request.user, pk=pk)
    span = request.GET.get("range") or "day"
    if span not in trend.RANGES:
        choices = "、".join(trend.RANGES)
        return JsonResponse(
            {"detail": [{"field": "range", "code": "invalid_choice", "message": f"取值应为：{choices}"}]},
            status=422,
        )
    alarms = restrict(Alarm, request.user).filter(point=point)
    return JsonResponse(trend.series(point, alarms, span, timezone.now()))


# --- statistics ------------------------------------------------------------------------------------------

MAX_DAYS = 366 * 5


def period(
    user: User, code: str | None, start: dt.date | None, end: dt.date | None
) -> tuple[Region, dt.date, dt.date]:
    """The region (default the user's; 404 outside the scope) and the period (default this month to today)."""
    region = Region.objects.filter(code=code[:12]).first() if code else getattr(user, "region", None)
    if region is None or not region_in_scope(user, region.code):
        raise Http404
    end = end or timezone.localdate()
    start = start or end.replace(day=1)
    if start > end:
        raise ValidationFailed([FieldError("from", "after_end", "起始日期不能晚于截止日期")])
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed([FieldError("from", "too_long", "统计期间不能超过5年")])
    return region, start, end


def figures(user: User, region: Region, start: dt.date, end: dt.date) -> dict[str, Any]:
    return stats.figures(restrict(MonitoringPoint, user), restrict(Alarm, user), region, start, end)


@login_required
def stats_page(request: AuthedRequest) -> HttpResponse:
    _viewer(request.user)
    try:
        region, start, end = period(
            request.user,
            request.GET.get("region") or None,
            filter_date(request.GET.get("from"), "from"),
            filter_date(request.GET.get("to"), "to"),
        )
    except ValidationFailed as exc:
        return render(request, "monitoring/stats.html", {"errors": _errors(exc)}, status=422)
    data = figures(request.user, region, start, end)
    return render(request, "monitoring/stats.html", {"s": data, "region": region, "errors": {}})
