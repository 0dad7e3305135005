"""The enterprise's yearly safety risk report (安全生产风险报告): one per enterprise and year.

The enterprise's own managers prepare it (statement: principal person, contact, main risks and
measures) and submit it; submission freezes a snapshot of what Anquan holds about the enterprise's
risks (`build_snapshot`). A supervisor whose scope holds the enterprise accepts it, or returns it with
a reason; a returned report is resubmitted (with a new snapshot). Each step is a transition declared in
workflow.py (`REPORTS`) and taken through the engine: guarded by role and state, applied with a
compare-and-set on the old status (a second submission or two reviewers at once: one wins, the other gets
409), written as a RiskReportEvent and an audit entry, and notified — in one transaction. Pages and the API
call these functions only.

    draft ──submit──▶ submitted ──accept──▶ accepted
                        │   ▲
                  return│   │resubmit
                        ▼   │
                      returned
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from anquan.accounts.models import User
from anquan.checks import services as tasks
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.core import audit
from anquan.core.errors import Conflict, FieldError, NotPermitted, ValidationFailed
from anquan.core.models import AuditAction
from anquan.core.permissions import Perm, has_perm
from anquan.core.scope import in_scope, who_can_see
from anquan.core.workflow import actor_label
from anquan.enterprises.models import Enterprise
from anquan.hazards.choices import OPEN_STATUSES, Level
from anquan.hazards.models import Hazard
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.regions.choices import RegionLevel
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskPoint
from anquan.standards.choices import LEVEL_ORDER

from .choices import ReportAction, ReportStatus
from .models import RiskReport, RiskReportEvent
from .workflow import PREPARER_ONLY, REPORTS, REVIEWERS, can_prepare

REPORTED = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)  # counted as reported in the coverage view
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
STATUS_COLOURS = {
    ReportStatus.DRAFT: "secondary",
    ReportStatus.SUBMITTED: "primary",
    ReportStatus.ACCEPTED: "success",
    ReportStatus.RETURNED: "warning",
}
FIRST_YEAR = 2000
PHONE_RE = re.compile(r"^[0-9+\-() ]{7,20}$")
STATEMENT_FIELDS = {  # field: (label, max length)
    "principal_name": ("主要负责人", 50),
    "contact_name": ("联系人", 50),
    "contact_phone": ("联系电话", 20),
    "statement": ("主要风险及管控措施", 5000),
}


# --- who may do what -------------------------------------------------------------------------------


def can_review(user: User, report: RiskReport) -> bool:
    """Offices and department supervisors whose scope holds the report accept or return it."""
    return has_perm(user, Perm.RISK_REPORT_REVIEW) and in_scope(report, user)


def available_actions(report: RiskReport, user: User) -> list[str]:
    """Transitions this user could take now (buttons on the pages, `actions` in the API)."""
    return REPORTS.available(report, user) if in_scope(report, user) else []


def year_choices(now: dt.datetime | None = None) -> list[int]:
    """Years a report may be prepared for: this year, and last year for a late report."""
    year = timezone.localdate(now).year
    return [year, year - 1]


def parse_year(value: object, errors: list[FieldError], *, allowed: list[int] | None = None) -> int | None:
    """A year from user input; with `allowed`, only those years, else FIRST_YEAR … next year."""
    if value in (None, ""):
        errors.append(FieldError("year", "required", "请填写年度"))
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        errors.append(FieldError("year", "invalid", "年度应为四位数字，如 2026"))
        return None
    if allowed is not None and year not in allowed:
        errors.append(
            FieldError(
                "year",
                "out_of_range",
                f"只能填报{'或'.join(str(y) for y in sorted(allowed))}年度的风险报告",
            )
        )
        return None
    last = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= last:
        errors.append(FieldError("year", "out_of_range", f"年度应在{FIRST_YEAR}至{last}之间"))
        return None
    return year


# --- the snapshot ----------------------------------------------------------------------------------


def _year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def build_snapshot(enterprise: Enterprise, year: int, now: dt.datetime | None = None) -> dict[str, Any]:
    """What Anquan holds about the enterprise's risks now, JSON-ready: its risk points counted by current
    level and listed with their measures, its major hazard installations (grade, R), its open hazards,
    its missed check tasks of `year`, and its risk level with the rule that gave it (points.RULE_TEXT).
    Shown live as the preview of a draft; frozen into the report at submission."""
    now = now or timezone.now()
    enterprise = Enterprise.objects.select_related("region", "industry", "supervising_department").get(
        pk=enterprise.pk
    )
    point_rows = list(
        RiskPoint.objects.filter(enterprise=enterprise)
        .annotate(measure_count=Count("measures"))
        .order_by("name", "id")
    )
    by_level = {level.value: 0 for level in LEVEL_ORDER} | {"unassessed": 0}
    for p in point_rows:
        by_level[p.current_level or "unassessed"] += 1
    rank = {level.value: n for n, level in enumerate(LEVEL_ORDER)} | {"": len(LEVEL_ORDER)}
    point_rows.sort(key=lambda p: (rank[p.current_level], p.name, p.pk))
    installations = MajorHazardInstallation.objects.filter(enterprise=enterprise, is_major=True).order_by(
        "grade", "name", "id"
    )
    hazards = Hazard.objects.filter(enterprise=enterprise, status__in=OPEN_STATUSES).aggregate(
        open=Count("id"),
        open_major=Count("id", filter=Q(level=Level.MAJOR)),
        overdue=Count("id", filter=Q(overdue=True)),
    )
    first, last = _year_range(year)
    year_tasks = CheckTask.objects.filter(tasks.in_range(first, last), enterprise=enterprise).aggregate(
        total=Count("id"), missed=Count("id", filter=Q(status=TaskStatus.MISSED))
    )
    return {
        "taken_at": now.isoformat(),
        "year": year,
        "enterprise": {
            "name": enterprise.name,
            "uscc": enterprise.uscc,
            "region_code": enterprise.region_code,
            "region": enterprise.region.full_name,
            "industry": enterprise.industry.name,
            "supervising_department": enterprise.supervising_department.name
            if enterprise.supervising_department is not None
            else "",
        },
        "risk_level": points.enterprise_risk_level(enterprise),
        "risk_level_rule": points.RULE_TEXT,
        "points_by_level": by_level,
        "points_total": len(point_rows),
        "points": [
            {
                "id": p.pk,
                "name": p.name,
                "kind": p.kind,
                "location": p.location,
                "level": p.current_level,
                "measures": p.measure_count,
            }
            for p in point_rows
        ],
        "installations": [
            {
                "id": i.pk,
                "name": i.name,
                "unit_type": i.unit_type,
                "grade": i.grade,
                "r": _decimal(i.r),
                "s": _decimal(i.s),
            }
            for i in installations
        ],
        "hazards": hazards,
        "check_tasks": {"from": first.isoformat(), "to": last.isoformat(), **year_tasks},
    }


def _decimal(value: Decimal | None) -> str | None:
    """ "5.4000" → "5.4", "12.0000" → "12": the stored (cut) value, without trailing zeros."""
    return None if value is None else format(value.normalize(), "f")


# --- preparing -------------------------------------------------------------------------------------


def _statement(raw: dict[str, Any], errors: list[FieldError]) -> dict[str, Any]:
    """The statement fields present in `raw`, trimmed and checked for length and phone format."""
    values = {}
    for field, (label, max_length) in STATEMENT_FIELDS.items():
        if field not in raw or raw[field] is None:
            continue
        value = str(raw[field]).strip()
        if len(value) > max_length:
            errors.append(FieldError(field, "too_long", f"{label}不能超过{max_length}个字"))
        elif field == "contact_phone" and value and not PHONE_RE.match(value):
            errors.append(FieldError(field, "invalid", "联系电话只能包含数字、空格和 + - ( )，7 到 20 位"))
        values[field] = value
    return values


def _complete(report: RiskReport, errors: list[FieldError]) -> None:
    """A report is submitted only with its whole statement filled in."""
    for field, (label, _max) in STATEMENT_FIELDS.items():
        if not getattr(report, field) and not any(e.field == field for e in errors):
            errors.append(FieldError(field, "required", f"提交前请填写{label}"))


def _resolve_enterprise(raw: dict[str, Any], actor: User, errors: list[FieldError]) -> Enterprise | None:
    enterprise = points.resolve_enterprise(raw.get("enterprise"), actor, errors)
    if enterprise is None:
        return None
    if not can_prepare(actor, enterprise.pk):
        raise NotPermitted(PREPARER_ONLY)
    return Enterprise.objects.get(pk=enterprise.pk)  # fresh: the defaults below are read from it


@transaction.atomic
def create_report(raw: dict[str, Any], *, actor: User, now: dt.datetime | None = None) -> RiskReport:
    """raw: enterprise (USCC; default the actor's own), year (this year or last), and the statement
    fields, which default to the enterprise's principal person and safety manager. One report per
    enterprise and year: a second one is a Conflict ("exists")."""
    now = now or timezone.now()
    if not has_perm(actor, Perm.RISK_REPORT_PREPARE):
        raise NotPermitted(PREPARER_ONLY)
    errors: list[FieldError] = []
    enterprise = _resolve_enterprise(raw, actor, errors)
    year = parse_year(raw.get("year"), errors, allowed=year_choices(now))
    values = _statement(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    assert enterprise is not None and year is not None  # each missing one was refused above
    existing = RiskReport.objects.filter(enterprise=enterprise, year=year).first()
    if existing is not None:
        raise Conflict("exists", f"本企业{year}年度的风险报告已存在（#{existing.pk}），请直接编辑或提交")
    defaults = {
        "principal_name": enterprise.principal_name,
        "contact_name": enterprise.safety_manager_name,
        "contact_phone": enterprise.safety_manager_phone,
        "statement": "",
    }
    try:
        with transaction.atomic():
            report = RiskReport.objects.create(
                enterprise=enterprise,
                year=year,
                region_code=enterprise.region_code,
                supervising_department_id=enterprise.supervising_department_id,
                created_by=actor,
                created_at=now,
                updated_at=now,
                **(defaults | values),
            )
    except IntegrityError:  # a concurrent request made it first
        raise Conflict("exists", f"本企业{year}年度的风险报告已存在，请直接编辑或提交") from None
    RiskReportEvent.objects.create(
        report=report,
        action=ReportAction.CREATE,
        from_status="",
        to_status=report.status,
        actor=actor,
        actor_label=actor_label(actor),
        at=now,
    )
    audit.record(AuditAction.CREATE, report, actor=actor, after=audit.snapshot(report))
    return report


@transaction.atomic
def save_statement(
    report: RiskReport, raw: dict[str, Any], *, actor: User, now: dt.datetime | None = None
) -> RiskReport:
    """Change the statement of a draft or returned report (the enterprise's own managers)."""
    now = now or timezone.now()
    if not can_prepare(actor, report.enterprise_id):
        raise NotPermitted(PREPARER_ONLY)
    errors: list[FieldError] = []
    values = _statement(raw, errors)
    if errors:
        raise ValidationFailed(errors)
    report = RiskReport.objects.get(pk=report.pk)
    old = report.status
    if old not in EDITABLE:
        raise Conflict("invalid_state", f"报告{ReportStatus(old).label}，不能再修改")
    before = audit.snapshot(report)
    if RiskReport.objects.filter(pk=report.pk, status=old).update(updated_at=now, **values) != 1:
        raise Conflict("stale", "报告状态已被他人改变，请刷新后重试")
    report.refresh_from_db()
    audit.record_update(report, before, actor=actor, comment="编制报告")
    return report


# --- the transitions -------------------------------------------------------------------------------


def _load(report: RiskReport) -> RiskReport:
    return RiskReport.objects.select_related("enterprise", "enterprise__region").get(pk=report.pk)


@transaction.atomic
def submit(
    report: RiskReport, raw: dict[str, Any] | None = None, *, actor: User, now: dt.datetime | None = None
) -> RiskReport:
    """Submit a draft, or resubmit a returned report; `raw` may carry statement changes made at the
    same time. The snapshot is taken now. Raises NotPermitted (403), Conflict (409: already submitted,
    or changed meanwhile) or ValidationFailed (422: statement incomplete)."""
    now = now or timezone.now()
    if not can_prepare(actor, report.enterprise_id):
        raise NotPermitted(PREPARER_ONLY)
    errors: list[FieldError] = []
    values = _statement(raw or {}, errors)
    report = _load(report)
    old = report.status
    if old not in EDITABLE:
        raise Conflict("invalid_state", f"报告已{ReportStatus(old).label}，不能重复提交")
    for field, value in values.items():
        setattr(report, field, value)
    _complete(report, errors)
    if errors:
        raise ValidationFailed(errors)
    enterprise = report.enterprise
    action = ReportAction.SUBMIT if old == ReportStatus.DRAFT else ReportAction.RESUBMIT
    report, _event = REPORTS.apply(
        report,
        action,
        actor=actor,
        changes={
            "snapshot": build_snapshot(enterprise, report.year, now),
            "submitted_at": now,
            "submitted_by": actor,
            "reviewed_at": None,
            "reviewed_by": None,
            "region_code": enterprise.region_code,  # the report follows the enterprise's current place
            "supervising_department_id": enterprise.supervising_department_id,
            **values,
        },
        now=now,
    )
    return report


def _review(report: RiskReport, actor: User, action: str) -> RiskReport:
    report = _load(report)
    REPORTS.check(report, action, actor)  # 404 out of scope, 409 not submitted, 403 not a reviewer
    return report


@transaction.atomic
def accept(
    report: RiskReport, *, actor: User, comment: str = "", now: dt.datetime | None = None
) -> RiskReport:
    now = now or timezone.now()
    comment = str(comment or "").strip()
    if len(comment) > 2000:
        raise ValidationFailed([FieldError("comment", "too_long", "审核意见不能超过2000个字")])
    report = _review(report, actor, ReportAction.ACCEPT)
    report, _event = REPORTS.apply(
        report,
        ReportAction.ACCEPT,
        actor=actor,
        changes={"reviewed_at": now, "reviewed_by": actor},
        comment=comment,
        now=now,
    )
    return report


@transaction.atomic
def return_report(
    report: RiskReport, *, actor: User, reason: str, now: dt.datetime | None = None
) -> RiskReport:
    """Send a submitted report back to the enterprise with a reason (required)."""
    now = now or timezone.now()
    reason = str(reason or "").strip()
    report = _review(report, actor, ReportAction.RETURN)
    if not reason:
        raise ValidationFailed([FieldError("reason", "required", "退回报告须填写理由")])
    if len(reason) > 2000:
        raise ValidationFailed([FieldError("reason", "too_long", "退回理由不能超过2000个字")])
    report, _event = REPORTS.apply(
        report,
        ReportAction.RETURN,
        actor=actor,
        changes={"reviewed_at": now, "reviewed_by": actor, "return_reason": reason},
        comment=reason,
        now=now,
    )
    return report


def transition(
    report: RiskReport, action: str, *, actor: User, now: dt.datetime | None = None, **fields: Any
) -> RiskReport:
    """One entry point for pages and the API: action submit | resubmit | accept | return."""
    if action in (ReportAction.SUBMIT, ReportAction.RESUBMIT):
        return submit(report, fields, actor=actor, now=now)
    if action == ReportAction.ACCEPT:
        return accept(report, actor=actor, comment=fields.get("comment") or "", now=now)
    if action == ReportAction.RETURN:
        return return_report(report, actor=actor, reason=fields.get("reason") or "", now=now)
    raise ValidationFailed(
        [FieldError("action", "invalid_choice", "操作须为 submit、resubmit、accept 或 return")]
    )


# --- who hears about it ----------------------------------------------------------------------------


def enterprise_users(report: RiskReport) -> QuerySet[User]:
    return who_can_see(report).filter(enterprise_id=report.enterprise_id)


def reviewers(report: RiskReport) -> QuerySet[User]:
    """The reviewers nearest the enterprise: those at its county and below whose scope holds it (the
    county office, the township office, the county's supervising department); when there are none, the
    reviewers of the levels above."""
    region = report.enterprise.region
    chain = [r.code for r in region.ancestors()] + [region.code]
    candidates = who_can_see(report).filter(role__in=REVIEWERS, region_code__in=chain)
    near = candidates.filter(region__level__gte=RegionLevel.COUNTY)
    return near if near.exists() else candidates
