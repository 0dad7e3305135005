"""Yearly risk reports in the API: /api/v1/risk-reports (list, create a draft, one report, its
transitions) and /api/v1/stats/risk-report-coverage. Mounted at "/" in anquan/api.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.http import AuthedRequest
from anquan.accounts.models import User
from anquan.core.contract import Page, PageParams, page, responses
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once
from anquan.core.scope import get_in_scope, restrict, within
from anquan.standards.schemas import TEXT_MAX, Id, RegionCode, Uscc

from . import actions as reports
from . import coverage as report_coverage
from .choices import ReportAction, ReportStatus
from .models import RiskReport

# --- yearly risk reports ----------------------------------------------------------------------------


class RiskReportOut(Schema):
    id: int
    enterprise: str
    enterprise_name: str
    region: str
    year: int
    status: str
    status_label: str
    principal_name: str
    contact_name: str
    contact_phone: str
    statement: str
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    return_reason: str | None
    actions: list[str]


class RiskReportEventOut(Schema):
    action: str
    from_status: str | None
    to_status: str
    actor: str
    at: dt.datetime
    comment: str


class RiskReportDetailOut(RiskReportOut):
    snapshot: dict[str, Any] = Field(description="as last submitted, or the live preview of a draft")
    snapshot_frozen: bool
    events: list[RiskReportEventOut]


class ReportCoverageRowOut(Schema):
    region: str
    name: str
    enterprises: int
    reported: int
    accepted: int
    not_reported: int
    coverage: float | None = Field(description="reported ÷ enterprises, %; null when none must report")


class ReportCoverageOut(Schema):
    region: str
    region_name: str
    year: int
    sector: str
    items: list[ReportCoverageRowOut]
    total: ReportCoverageRowOut


router = Router(tags=["risk reports"])


def _statement(field: str, description: str | None = None) -> Any:
    """A statement field limited as reports.STATEMENT_FIELDS (the page form's limits)."""
    return Field(None, max_length=reports.STATEMENT_FIELDS[field][1], description=description)


class RiskReportIn(Schema):
    enterprise: Uscc | None = Field(None, description="USCC; default: the caller's own enterprise")
    year: int = Field(ge=reports.FIRST_YEAR, le=9999, description="this year, or last year for a late report")
    principal_name: str | None = _statement("principal_name", "default: the enterprise's principal person")
    contact_name: str | None = _statement("contact_name", "default: the enterprise's safety manager")
    contact_phone: str | None = _statement("contact_phone")
    statement: str | None = _statement("statement", "main risks and their control measures")
    idempotency_key: str | None = Field(None, max_length=100, description="or the Idempotency-Key header")


class RiskReportSubmitIn(Schema):
    principal_name: str | None = _statement("principal_name")
    contact_name: str | None = _statement("contact_name")
    contact_phone: str | None = _statement("contact_phone")
    statement: str | None = _statement("statement")


class RiskReportAcceptIn(Schema):
    comment: str | None = Field(None, max_length=TEXT_MAX)


class RiskReportReturnIn(Schema):
    reason: str = Field(max_length=TEXT_MAX, description="what the enterprise must change")


class ReportFilters(Schema):
    year: int | None = Field(None, ge=reports.FIRST_YEAR, le=9999, description="2000 … next year")
    region: RegionCode | None = Field(None, description="region code (its subtree)")
    status: ReportStatus | None = Field(None, description="draft | submitted | accepted | returned")
    enterprise: Uscc | None = Field(None, description="USCC")


def _reports(request: AuthedRequest) -> QuerySet[RiskReport]:
    return restrict(RiskReport, request.user).select_related("enterprise", "submitted_by", "reviewed_by")


def _report_out(r: RiskReport, user: User, *, full: bool = False) -> dict[str, Any]:
    body = {
        "id": r.pk,
        "enterprise": r.enterprise.uscc,
        "enterprise_name": r.enterprise.name,
        "region": r.region_code,
        "year": r.year,
        "status": r.status,
        "status_label": str(ReportStatus(r.status).label),
        "principal_name": r.principal_name,
        "contact_name": r.contact_name,
        "contact_phone": r.contact_phone,
        "statement": r.statement,
        "submitted_at": r.submitted_at,
        "reviewed_at": r.reviewed_at,
        "return_reason": r.return_reason or None,
        "actions": reports.available_actions(r, user),
    }
    if full:
        # as last submitted (also when returned since); a report never submitted: the live preview
        frozen = bool(r.snapshot)
        body["snapshot"] = r.snapshot if frozen else reports.build_snapshot(r.enterprise, r.year)
        body["snapshot_frozen"] = frozen
        body["events"] = [
            {
                "action": e.action,
                "from_status": e.from_status or None,
                "to_status": e.to_status,
                "actor": e.actor_label,
                "at": e.at,
                "comment": e.comment,
            }
            for e in r.events.all()
        ]
    return body


@router.get("/risk-reports", response=responses(Page[RiskReportOut]))
def list_reports(
    request: AuthedRequest, filters: Query[ReportFilters], paging: Query[PageParams]
) -> dict[str, Any]:
    qs = _reports(request)
    errors: list[FieldError] = []
    if filters.year is not None:
        year = reports.parse_year(filters.year, errors)  # 2000 … next year
        if year is not None:
            qs = qs.filter(year=year)
    if filters.region:
        qs = qs.filter(within(filters.region))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.upper())
    if errors:
        raise ValidationFailed(errors)
    return page(qs, paging, lambda r: _report_out(r, request.user))


@router.post("/risk-reports", response=responses({201: RiskReportOut}, 400, 403, 409, 415))
def create_report(request: AuthedRequest, payload: RiskReportIn) -> Status[dict[str, Any]]:
    """A draft report of the caller's enterprise (enterprise managers only); 409 when that year's exists."""

    def create() -> tuple[int, dict[str, Any]]:
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        report = reports.create_report(raw, actor=request.user)
        return 201, _report_out(_reports(request).get(pk=report.pk), request.user)

    status, body = run_once(request, "risk.report", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/risk-reports/{report_id}", response=responses(RiskReportDetailOut, 404))
def get_report(request: AuthedRequest, report_id: Id) -> dict[str, Any]:
    return _report_out(get_in_scope(_reports(request), request.user, pk=report_id), request.user, full=True)


def _act(request: AuthedRequest, report_id: int, action: str, fields: dict[str, Any]) -> dict[str, Any]:
    report = get_in_scope(_reports(request), request.user, pk=report_id)
    report = reports.transition(report, action, actor=request.user, **fields)
    return _report_out(_reports(request).get(pk=report.pk), request.user, full=True)


TRANSITION = responses(RiskReportDetailOut, 400, 403, 404, 409, 415)


@router.post("/risk-reports/{report_id}/submit", response=TRANSITION)
def submit_report(
    request: AuthedRequest, report_id: Id, payload: RiskReportSubmitIn | None = None
) -> dict[str, Any]:
    """Submit a draft or resubmit a returned report (the enterprise's own managers); statement fields
    given here are saved with it. 409 when it is already submitted."""
    fields = {k: v for k, v in (payload.dict() if payload else {}).items() if v is not None}
    return _act(request, report_id, ReportAction.SUBMIT, fields)


@router.post("/risk-reports/{report_id}/accept", response=TRANSITION)
def accept_report(
    request: AuthedRequest, report_id: Id, payload: RiskReportAcceptIn | None = None
) -> dict[str, Any]:
    return _act(request, report_id, ReportAction.ACCEPT, payload.dict() if payload else {})


@router.post("/risk-reports/{report_id}/return", response=TRANSITION)
def return_report(request: AuthedRequest, report_id: Id, payload: RiskReportReturnIn) -> dict[str, Any]:
    return _act(request, report_id, ReportAction.RETURN, payload.dict())


class CoverageParams(Schema):
    region: RegionCode | None = Field(None, description="region code; default: the caller's region")
    year: int | None = Field(None, ge=reports.FIRST_YEAR, le=9999, description="default: this year")
    sector: Literal["industrial"] | None = Field(
        None, description="industrial: GB/T 4754 sections B, C, D only"
    )


@router.get("/stats/risk-report-coverage", response=responses(ReportCoverageOut, 404))
def report_coverage_stats(request: AuthedRequest, params: Query[CoverageParams]) -> dict[str, Any]:
    """Per child region: enterprises that must report, reported (submitted or accepted), accepted,
    not reported and coverage (reported ÷ enterprises, %)."""
    region_obj, year_value, sector_value = report_coverage.resolve(
        request.user, params.region, params.year, params.sector
    )
    return report_coverage.coverage(request.user, region_obj, year_value, sector_value)
