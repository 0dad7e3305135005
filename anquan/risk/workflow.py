"""The risk app's declared workflows (anquan/core/workflow.py).

The yearly risk report (reports.py):

    draft ──submit──▶ submitted ──accept──▶ accepted
                        │   ▲
                  return│   │resubmit
                        ▼   │
                      returned

A control check task (tasks.py): an open task is done by the enterprise's own managers while its period
runs — all normal, or with a hazard reported — or marked missed by the sweep once its period has ended.

    open ──done_normal──▶ done_normal
      ├───done_hazard──▶ done_hazard
      └───mark_missed──▶ missed          (the sweep: actor None)

Field parsing, the snapshot, the periods and the notifications' wording stay in reports.py and tasks.py."""

from __future__ import annotations

from django.urls import reverse

from anquan.core.notify import notify
from anquan.core.permissions import Perm, has_perm, roles_with
from anquan.core.workflow import SYSTEM, Transition, Workflow

from .models import (
    CheckTask,
    CheckTaskEvent,
    ReportAction,
    ReportStatus,
    RiskReport,
    RiskReportEvent,
    TaskStatus,
)

# --- the yearly risk report --------------------------------------------------------------------------

# offices of every level and department supervisors accept or return the reports in their scope (the roles
# with Perm.RISK_REPORT_REVIEW: the reviewers a submitted report is announced to)
REVIEWERS = roles_with(Perm.RISK_REPORT_REVIEW)
STATEMENT = ("principal_name", "contact_name", "contact_phone", "statement")
PREPARER_ONLY = "只有本企业的人员可以编制和提交安全生产风险报告"


def can_prepare(user, enterprise_id: int) -> bool:
    """The enterprise's own managers prepare, submit and resubmit its reports."""
    return (
        getattr(user, "is_active", False)
        and has_perm(user, Perm.RISK_REPORT_PREPARE)
        and user.enterprise_id == enterprise_id
    )


def _preparer(user, report) -> bool:
    return can_prepare(user, report.enterprise_id)


def _reviewer(user, report) -> bool:
    return getattr(user, "is_active", False) and has_perm(user, Perm.RISK_REPORT_REVIEW)


def _notify_report(report: RiskReport, action: str, actor, event) -> None:
    """In-app notifications, written in the transaction of the step they announce."""
    from .reports import enterprise_users, reviewers

    url = reverse("risk:report", args=[report.pk])
    if action in (ReportAction.SUBMIT, ReportAction.RESUBMIT):
        again = "重新" if action == ReportAction.RESUBMIT else ""
        notify(
            list(reviewers(report)),
            f"{report.enterprise.name}{again}提交了{report.year}年度安全生产风险报告，请审核",
            url=url,
        )
    elif action == ReportAction.ACCEPT:
        notify(
            list(enterprise_users(report)),
            f"{report.year}年度安全生产风险报告已审核通过",
            body=event.comment,
            url=url,
        )
    elif action == ReportAction.RETURN:
        notify(
            list(enterprise_users(report)),
            f"{report.year}年度安全生产风险报告被退回，请修改后重新提交",
            body=event.comment,
            url=url,
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

# --- control check tasks -----------------------------------------------------------------------------


def can_complete(user, task) -> bool:
    return (
        getattr(user, "is_active", False)
        and has_perm(user, Perm.CHECK_TASK_COMPLETE)
        and user.enterprise_id == task.enterprise_id
    )


COMPLETER_ONLY = "只有本企业的人员可以完成管控检查任务"

TASKS = Workflow(
    model=CheckTask,
    event_model=CheckTaskEvent,
    event_parent="task",
    status_labels=dict(TaskStatus.choices),
    field_labels={"outcome": "检查结果", "description": "隐患描述", "note": "备注"},
    stale_message="该检查任务已被他人处理，请刷新后重试",
    select_related=("point", "enterprise"),
    transitions={
        "done_normal": Transition(
            "完成检查（正常）",
            (TaskStatus.OPEN,),
            TaskStatus.DONE_NORMAL,
            can_complete,
            COMPLETER_ONLY,
            fields=("outcome", "note"),
        ),
        "done_hazard": Transition(
            "完成检查（报告隐患）",
            (TaskStatus.OPEN,),
            TaskStatus.DONE_HAZARD,
            can_complete,
            COMPLETER_ONLY,
            fields=("outcome", "description", "note"),
            required=("description",),
        ),
        "mark_missed": Transition("逾期未完成", (TaskStatus.OPEN,), TaskStatus.MISSED, {SYSTEM}),
    },
)
