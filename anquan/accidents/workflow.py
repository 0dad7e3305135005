"""An accident's life as declared workflows (anquan/core/workflow.py): the investigation (Decree 493 arts.
19–32) on the accident's status, and the reporting chain (arts. 9–11) on its steps.

    reported ──start_investigation──▶ investigating ──submit_report──▶ report_submitted ──close──▶ closed
                                       │  ▲
                                       └──┘ extend_investigation (once: art. 29)

`late_report` (补报, art. 13) keeps the status: it changes the figures and the grade, and is one event.
A report-up (`REPORT_UP`) is a transition of one `AccidentReport` step: it keeps no status of its own; its
compare-and-set holds "this level not yet reported", and its event and scope are the accident's.
Field parsing, the windows and the deadlines stay in actions.py."""

from __future__ import annotations

from anquan.core.permissions import Perm, roles_with
from anquan.core.workflow import Guard, Transition, Workflow

from .choices import Status
from .models import Accident, AccidentEvent, AccidentReport

# the transitions' role sets, read from the permission table (anquan.core.permissions)
REPORTERS = roles_with(Perm.ACCIDENT_REPORT)
INVESTIGATORS = roles_with(Perm.ACCIDENT_INVESTIGATE)
NOT_INVESTIGATOR = "您无权组织该事故的调查"

# art. 29: the investigation period may be extended once
NOT_EXTENDED = Guard({"extension_days": 0}, "already_extended", "调查期限已延长过一次，不能再次延长")
NOT_REPORTED = Guard({"reported_at__isnull": True}, "already_reported", "该层级已记录报告时间")

FIELD_LABELS = {
    "to_level": "报告层级",
    "reported_at": "报告时间",
    "changed_at": "伤亡变化时间",
    "deaths": "死亡人数",
    "missing": "失踪人数",
    "serious_injuries": "重伤人数",
    "minor_injuries": "轻伤人数",
    "direct_loss_yuan": "直接经济损失（元）",
    "comment": "说明",
    "team": "事故调查组组成",
    "lead_authority": "牵头单位",
    "days": "延长天数",
    "reason": "延期理由和批准情况",
    "report_text": "调查报告",
    "causes": "事故原因",
    "responsibility": "责任认定",
    "recommended_penalties": "处理建议",
}

FLOW = Workflow(
    model=Accident,
    event_model=AccidentEvent,
    event_parent="accident",
    status_labels=dict(Status.choices),
    field_labels=FIELD_LABELS,
    stale_message="该事故已被他人处理，请刷新后重试",
    select_related=("region", "enterprise", "category"),
    transitions={
        "late_report": Transition(
            "补报",
            tuple(Status.values),
            None,
            REPORTERS,
            "您无权补报该事故",
            fields=(
                "changed_at",
                "deaths",
                "missing",
                "serious_injuries",
                "minor_injuries",
                "direct_loss_yuan",
                "comment",
            ),
        ),
        "start_investigation": Transition(
            "启动调查",
            (Status.REPORTED,),
            Status.INVESTIGATING,
            INVESTIGATORS,
            NOT_INVESTIGATOR,
            fields=("team", "lead_authority"),
            required=("team",),
        ),
        "extend_investigation": Transition(
            "延长调查期限",
            (Status.INVESTIGATING,),
            None,
            INVESTIGATORS,
            NOT_INVESTIGATOR,
            guards=(NOT_EXTENDED,),
            fields=("days", "reason"),
            required=("days", "reason"),
        ),
        "submit_report": Transition(
            "提交调查报告",
            (Status.INVESTIGATING,),
            Status.REPORT_SUBMITTED,
            INVESTIGATORS,
            NOT_INVESTIGATOR,
            fields=("report_text", "causes", "responsibility", "recommended_penalties"),
            required=("report_text", "causes", "responsibility"),
        ),
        "close": Transition(
            "结案",
            (Status.REPORT_SUBMITTED,),
            Status.CLOSED,
            INVESTIGATORS,
            NOT_INVESTIGATOR,
            fields=("comment",),
        ),
    },
)

REPORT_UP = Workflow(
    model=AccidentReport,
    event_model=AccidentEvent,
    event_parent="accident",
    status_field=None,
    owner=lambda step: step.accident,
    field_labels=FIELD_LABELS,
    stale_message="该层级的报告已被他人记录，请刷新后重试",
    select_related=("accident",),
    transitions={
        "report_up": Transition(
            "记录上报",
            (),
            None,
            REPORTERS,
            "您无权记录该事故的上报",
            guards=(NOT_REPORTED,),
            fields=("to_level", "reported_at"),
            required=("to_level",),
        ),
    },
)

FLOWS = {action: flow for flow in (FLOW, REPORT_UP) for action in flow.transitions}
