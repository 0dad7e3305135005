"""Yearly risk report pages: the reports in the user's scope, the enterprise's report of a year (statement
form with a live preview of the snapshot; save or submit), one report (its snapshot, history and the
supervisor's accept / return), and the coverage view with the enterprises not yet reported (Excel).
 Addresses in
urls.py, the API in api.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.errors import form_errors as _errors
from anquan.core.errors import http_status as _status
from anquan.core.paging import paginate, remember_filters
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import get_in_scope, restrict, within
from anquan.enterprises.filters import search
from anquan.enterprises.models import Enterprise
from anquan.orgs.models import Industry
from anquan.regions.models import Region
from anquan.riskpoints.choices import PointKind
from anquan.standards.choices import LEVEL_ORDER, UnitType

from . import actions as reports
from . import coverage as report_coverage
from .choices import ReportAction, ReportStatus
from .models import RiskReport

FORM_FIELDS = tuple(reports.STATEMENT_FIELDS)


def _reports(user: User) -> QuerySet[RiskReport]:
    return restrict(RiskReport, user).select_related("enterprise", "enterprise__region")


def snapshot_view(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with display labels (it stores codes only, so it reads the same in any language)."""
    if not snapshot:
        return {}
    kinds, units = dict(PointKind.choices), dict(UnitType.choices)
    counts = snapshot.get("points_by_level", {})
    return snapshot | {
        "level_counts": [(level.value, counts.get(level.value, 0)) for level in LEVEL_ORDER]
        + [("", counts.get("unassessed", 0))],
        "points": [p | {"kind_label": kinds.get(p["kind"], p["kind"])} for p in snapshot.get("points", [])],
        "installations": [
            i | {"unit_type_label": units.get(i["unit_type"], i["unit_type"])}
            for i in snapshot.get("installations", [])
        ],
    }


@login_required
@remember_filters
def report_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    this_year = timezone.localdate().year
    qs = _reports(user).select_related("submitted_by", "reviewed_by")
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:  # a longer number would overflow the column, not match
        qs = qs.filter(year=int(year))
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        qs = qs.filter(status=status)
    region = request.GET.get("region", "").strip()
    if region.isdigit():
        qs = qs.filter(within(region))
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(enterprise__in=search(restrict(Enterprise, user), q))
    page = paginate(request, qs.order_by("-year", "-submitted_at", "enterprise__name", "id"))
    own = user.enterprise if has_perm(user, Perm.RISK_REPORT_PREPARE) and user.enterprise_id else None
    return render(
        request,
        "riskreports/report_list.html",
        {
            "page": page,
            "statuses": ReportStatus.choices,
            "colours": reports.STATUS_COLOURS,
            "years": list(range(this_year, this_year - 5, -1)),
            "own": own,
            "own_years": reports.year_choices() if own else [],
            "this_year": this_year,
        },
    )


@login_required
def report_prepare(request: AuthedRequest, year: int) -> HttpResponse:
    """The enterprise's report of `year`: statement form and the live snapshot; "save" keeps a draft,
    "submit" submits it (both in one transaction, so a refused submission writes nothing)."""
    user = request.user
    if not has_perm(user, Perm.RISK_REPORT_PREPARE) or not user.enterprise_id:
        raise Http404
    if year not in reports.year_choices():
        raise Http404
    enterprise = user.enterprise
    assert enterprise is not None  # checked above (enterprise_id)
    report = RiskReport.objects.filter(enterprise=enterprise, year=year).first()
    if report is not None and report.status not in reports.EDITABLE and request.method != "POST":
        return redirect("riskreports:report", pk=report.pk)
    errors, status = {}, 200
    if report is not None:
        values = {f: getattr(report, f) for f in FORM_FIELDS}
    else:
        values = {
            "principal_name": enterprise.principal_name,
            "contact_name": enterprise.safety_manager_name,
            "contact_phone": enterprise.safety_manager_phone,
            "statement": "",
        }
    if request.method == "POST":
        values = {f: request.POST.get(f, "") for f in FORM_FIELDS}
        do_submit = request.POST.get("do") == "submit"
        try:
            with transaction.atomic():
                if report is None:
                    report = reports.create_report(
                        {"enterprise": enterprise.uscc, "year": year, **values}, actor=user
                    )
                elif not do_submit:
                    report = reports.save_statement(report, values, actor=user)
                if do_submit:  # with the statement as posted
                    report = reports.submit(report, values, actor=user)
        except (ValidationFailed, NotPermitted, Conflict) as exc:
            if isinstance(exc, Conflict) and report is not None:
                # e.g. a second tap on "submit": show the report as it now stands
                report = RiskReport.objects.filter(enterprise=enterprise, year=year).first()
                assert report is not None  # it was there a moment ago; reports are never deleted
                return report_detail(request, report.pk, errors=_errors(exc), status=409)
            errors, status = _errors(exc), _status(exc)
            report = RiskReport.objects.filter(enterprise=enterprise, year=year).first()
        else:
            if do_submit:
                messages.success(request, _("Risk report submitted to the supervising authorities."))
                return redirect("riskreports:report", pk=report.pk)
            messages.success(request, _("Draft saved."))
            return redirect("riskreports:report_prepare", year=year)
    return render(
        request,
        "riskreports/report_prepare.html",
        {
            "year": year,
            "enterprise": enterprise,
            "report": report,
            "values": values,
            "errors": errors,
            "snapshot": snapshot_view(reports.build_snapshot(enterprise, year)),
            "colours": reports.STATUS_COLOURS,
        },
        status=status,
    )


@login_required
def report_detail(
    request: AuthedRequest, pk: int, errors: dict[str, str] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    report = get_in_scope(
        _reports(user).select_related("submitted_by", "reviewed_by", "enterprise__industry"), user, pk=pk
    )
    frozen = bool(report.snapshot)  # as last submitted (also when returned); never submitted: live
    snapshot = report.snapshot if frozen else reports.build_snapshot(report.enterprise, report.year)
    return render(
        request,
        "riskreports/report_detail.html",
        {
            "r": report,
            "frozen": frozen,
            "snapshot": snapshot_view(snapshot),
            "events": report.events.all(),
            "actions": reports.available_actions(report, user),
            "colours": reports.STATUS_COLOURS,
            "errors": errors or {},
        },
        status=status,
    )


@login_required
@require_POST
def report_act(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    report = get_in_scope(_reports(user), user, pk=pk)
    action = request.POST.get("action", "")
    fields: dict[str, Any] = {k: request.POST.get(k, "") for k in ("comment", "reason")}
    try:
        reports.transition(report, action, actor=user, **fields)
    except (ValidationFailed, NotPermitted, Conflict) as exc:
        return report_detail(request, pk, errors=_errors(exc), status=_status(exc))
    done: dict[str, str] = {
        ReportAction.ACCEPT: _("Risk report accepted."),
        ReportAction.RETURN: _("Risk report returned to the enterprise."),
    }
    messages.success(request, done.get(action, _("Risk report submitted to the supervising authorities.")))
    return redirect("riskreports:report", pk=pk)


COVERAGE_PAGE = 50


def _coverage_input(request: AuthedRequest) -> tuple[tuple[Region, int, str], dict[str, Any]]:
    """(region, year, sector) from the query; bad values fall back to the defaults with their errors."""
    get = request.GET.get
    try:
        return report_coverage.resolve(request.user, get("region"), get("year"), get("sector")), {}
    except ValidationFailed as exc:
        return report_coverage.resolve(request.user, None, None, None), _errors(exc)


@login_required
def coverage(request: AuthedRequest) -> HttpResponse:
    user = request.user
    (region, year, sector), errors = _coverage_input(request)
    data = report_coverage.coverage(user, region, year, sector)
    missing = report_coverage.not_reported(user, region, year, sector, request.GET)
    page = paginate(request, missing, COVERAGE_PAGE)
    for e in page.object_list:
        e.report_status_label = report_coverage.status_label(e.report_status)
    this_year = timezone.localdate().year
    return render(
        request,
        "riskreports/report_coverage.html",
        {
            "data": data,
            "page": page,
            "year": year,
            "sector": sector,
            "years": list(range(this_year, this_year - 5, -1)),
            "industries": Industry.objects.filter(kind="category"),
            "region": region,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def coverage_export(request: AuthedRequest) -> HttpResponse:
    (region, year, sector), errors = _coverage_input(request)
    if errors:
        raise Http404
    return report_coverage.export_response(request.user, region, year, sector, request.GET)
