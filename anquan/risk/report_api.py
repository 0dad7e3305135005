"""Yearly risk reports in the API: /api/v1/risk-reports (list, create a draft, one report, its
transitions) and /api/v1/stats/risk-report-coverage. Mounted at "/" in anquan/api.py."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema, Status

from anquan.accounts.scope import get_in_scope, restrict, within
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.idempotency import key_from, run_once

from . import report_coverage, reports
from .models import ReportAction, ReportStatus, RiskReport

router = Router(tags=["risk reports"])


class ReportIn(Schema):
    enterprise: str | None = Field(None, description="USCC; default: the caller's own enterprise")
    year: int | None = Field(None, description="this year, or last year for a late report")
    principal_name: str | None = Field(None, description="default: the enterprise's principal person")
    contact_name: str | None = Field(None, description="default: the enterprise's safety manager")
    contact_phone: str | None = None
    statement: str | None = Field(None, description="main risks and their control measures")
    idempotency_key: str | None = None


class SubmitIn(Schema):
    principal_name: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    statement: str | None = None


class AcceptIn(Schema):
    comment: str | None = None


class ReturnIn(Schema):
    reason: str | None = Field(None, description="required: what the enterprise must change")


class ReportFilters(Schema):
    year: int | None = None
    region: str | None = Field(None, description="region code (its subtree)")
    status: str | None = Field(None, description="draft | submitted | accepted | returned")
    enterprise: str | None = Field(None, description="USCC")


def _reports(request):
    return restrict(RiskReport, request.user).select_related("enterprise", "submitted_by", "reviewed_by")


def _report_out(r: RiskReport, user, *, full: bool = False) -> dict:
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


@router.get("/risk-reports", response=dict)
def list_reports(request, filters: Query[ReportFilters], limit: int = 50, offset: int = 0):
    qs = _reports(request)
    errors: list[FieldError] = []
    if filters.year is not None:
        year = reports.parse_year(filters.year, errors)
        qs = qs.filter(year=year)
    if filters.region:
        code = filters.region.strip()
        if not report_coverage.REGION_RE.match(code):
            errors.append(FieldError("region", "invalid", "区划代码须为 6、9 或 12 位数字"))
        qs = qs.filter(within(code))
    if filters.status:
        if filters.status not in ReportStatus.values:
            errors.append(
                FieldError("status", "invalid_choice", "状态须为 draft、submitted、accepted 或 returned")
            )
        qs = qs.filter(status=filters.status)
    if filters.enterprise:
        qs = qs.filter(enterprise__uscc=filters.enterprise.strip().upper())
    if errors:
        raise ValidationFailed(errors)
    count = qs.count()
    offset, limit = max(0, offset), max(1, min(limit, 500))
    return {"items": [_report_out(r, request.user) for r in qs[offset : offset + limit]], "count": count}


@router.post("/risk-reports", response={201: dict})
def create_report(request, payload: ReportIn):
    """A draft report of the caller's enterprise (enterprise managers only); 409 when that year's exists."""

    def create():
        raw = payload.dict()
        raw.pop("idempotency_key", None)
        report = reports.create_report(raw, actor=request.user)
        return 201, _report_out(_reports(request).get(pk=report.pk), request.user)

    status, body = run_once(request, "risk.report", key_from(request, payload.idempotency_key), create)
    return Status(status, body)


@router.get("/risk-reports/{report_id}", response=dict)
def get_report(request, report_id: int):
    return _report_out(get_in_scope(_reports(request), request.user, pk=report_id), request.user, full=True)


def _act(request, report_id: int, action: str, fields: dict) -> dict:
    report = get_in_scope(_reports(request), request.user, pk=report_id)
    report = reports.transition(report, action, actor=request.user, **fields)
    return _report_out(_reports(request).get(pk=report.pk), request.user, full=True)


@router.post("/risk-reports/{report_id}/submit", response=dict)
def submit_report(request, report_id: int, payload: SubmitIn | None = None):
    """Submit a draft or resubmit a returned report (the enterprise's own managers); statement fields
    given here are saved with it. 409 when it is already submitted."""
    fields = {k: v for k, v in (payload.dict() if payload else {}).items() if v is not None}
    return _act(request, report_id, ReportAction.SUBMIT, fields)


@router.post("/risk-reports/{report_id}/accept", response=dict)
def accept_report(request, report_id: int, payload: AcceptIn | None = None):
    return _act(request, report_id, ReportAction.ACCEPT, payload.dict() if payload else {})


@router.post("/risk-reports/{report_id}/return", response=dict)
def return_report(request, report_id: int, payload: ReturnIn | None = None):
    return _act(request, report_id, ReportAction.RETURN, payload.dict() if payload else {})


@router.get("/stats/risk-report-coverage", response=dict)
def report_coverage_stats(
    request,
    region: str | None = Query(None, description="region code; default: the caller's region"),
    year: int | None = Query(None, description="default: this year"),
    sector: str | None = Query(None, description="industrial: GB/T 4754 sections B, C, D only"),
):
    """Per child region: enterprises that must report, reported (submitted or accepted), accepted,
    not reported and coverage (reported ÷ enterprises, %)."""
    region_obj, year_value, sector_value = report_coverage.resolve(request.user, region, year, sector)
    return report_coverage.coverage(request.user, region_obj, year_value, sector_value)
