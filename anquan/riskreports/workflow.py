"""The yearly risk report's declared workflow (anquan/core/workflow.py; steps in actions.py):

The yearly risk report (actions.py):

    draft ──submit──▶ submitted ──accept──▶ accepted
                        │   ▲
                  return│   │resubmit
                        ▼   │
                      returned

Field parsing, the snapshot and the notifications' wording stay in actions.py."""

from __future__ import annotations

from django.urls import reverse

from anquan.accounts.models import User
from anquan.core.choices import NotificationKind
from anquan.core.notify import notify, resolve
from anquan.core.permissions import Perm, has_perm, roles_with
from anquan.core.workflow import Transition, Workflow

from .choices import ReportAction, ReportStatus
from .models import RiskReport, RiskReportEvent

# --- the yearly risk report --------------------------------------------------------------------------

# offices of every level and department supervisors accept or return the reports in their scope (the roles
# with Perm.RISK_REPORT_REVIEW: the reviewers a submitted report is announced to)
REVIEWERS = roles_with(Perm.RISK_REPORT_REVIEW)
STATEMENT = ("principal_name", "contact_name", "contact_phone", "statement")
PREPARER_ONLY = "只有本企业的人员可以编制和提交安全生产风险报告"


def can_prepare(user: User, enterprise_id: int) -> bool:
    """The enterprise's own managers prepare, submit and resubmit its reports."""
    return (
        getattr(user, "is_active", False)
        and has_perm(user, Perm.RISK_REPORT_PREPARE)
        and user.enterprise_id == enterprise_id
    )


def _preparer(user: User, report: RiskReport) -> bool:
    return can_prepare(user, report.enterprise_id)


def _reviewer(user: User, report: RiskReport) -> bool:
    return bool(getattr(user, "is_active", False)) and has_perm(user, Perm.RISK_REPORT_REVIEW)


def _notify_report(report: RiskReport, action: str, actor: User, event: RiskReportEvent) -> None:
    """In-app notifications, written in the transaction of the step they announce. A submitted report is a
    task for its reviewers: once accepted or returned, that notification is cleared for all of them; a returned
    report is a task for the enterprise until it is resubmitted."""
    from .actions import enterprise_users, reviewers

    url = reverse("riskreports:report", args=[report.pk])
    about = f"risk_report:{report.pk}"
    resolve(about, {report.status})
    if action in (ReportAction.SUBMIT, ReportAction.RESUBMIT):
        again = "重新" if action == ReportAction.RESUBMIT else ""
        notify(
            list(reviewers(report)),
            f"{report.enterprise.name}{again}提交了{report.year}年度安全生产风险报告，请审核",
            url=url,
            kind=NotificationKind.RISK_REPORT_REVIEW,
            subject=about,
            step=ReportStatus.SUBMITTED,
        )
    elif action == ReportAction.ACCEPT:
        notify(
            list(enterprise_users(report)),
            f"您单位{report.year}年度安全生产风险报告已审核通过",
            body=event.comment,
            url=url,
            kind=NotificationKind.RISK_REPORT_RESULT,
        )
    elif action == ReportAction.RETURN:
        notify(
            list(enterprise_users(report)),
            f"您单位{report.year}年度安全生产风险报告被退回，请修改后重新提交",
            body=event.comment,
            url=url,
            kind=NotificationKind.RISK_REPORT_RESULT,
            subject=about,
            step=ReportStatus.RETURNED,
        )


REPORTS = Workflow(
    model=RiskReport,
    event_model=RiskReportEvent,
    event_parent="report",
    status_labels=dict(ReportStatus.choices),
    field_labels={"comment": "审核意见", "reason": "退回理由"},
    stale_message="报告状态已被他人改变，请刷新后重试",
    select_related=("enterprise", "enterprise__region"),
    after=_notify_report,
    transitions={
        ReportAction.SUBMIT: Transition(
            "提交", (ReportStatus.DRAFT,), ReportStatus.SUBMITTED, _preparer, PREPARER_ONLY, fields=STATEMENT
        ),
        ReportAction.RESUBMIT: Transition(
            "重新提交",
            (ReportStatus.RETURNED,),
            ReportStatus.SUBMITTED,
            _preparer,
            PREPARER_ONLY,
            fields=STATEMENT,
        ),
        ReportAction.ACCEPT: Transition(
            "审核通过",
            (ReportStatus.SUBMITTED,),
            ReportStatus.ACCEPTED,
            _reviewer,
            "只有安委办或行业监管部门可以审核通过风险报告",
            fields=("comment",),
        ),
        ReportAction.RETURN: Transition(
            "退回",
            (ReportStatus.SUBMITTED,),
            ReportStatus.RETURNED,
            _reviewer,
            "只有安委办或行业监管部门可以退回风险报告",
            fields=("reason",),
            required=("reason",),
        ),
    },
)
