"""A tip-off's declared workflow (anquan/core/workflow.py; the steps' own work in actions.py):

received ──accept──▶ accepted ──verify──▶ verifying ──substantiate──▶ substantiated ──decide_reward──▶ reward_decided
    │                                        │                                                          │
    └──reject──▶ rejected                    └──unsubstantiate──▶ unsubstantiated          pay_reward ──▶ reward_paid

Accepting routes it to a region (down to the township) and the department that verifies it; a reward needs the
reporter's name and phone (an anonymous tip-off is substantiated without one)."""

from __future__ import annotations

from anquan.core.permissions import Perm, roles_with
from anquan.core.workflow import Guard, Transition, Workflow

from .choices import Action, Status
from .models import HANDLERS, TipOff, TipOffEvent

REWARDERS = roles_with(
    Perm.TIPOFF_IDENTITY
)  # 谁受理、谁奖励: the offices from the county up, the departments
HANDLERS_ONLY = "只有安委办和行业监管部门可以处理举报"
REWARDERS_ONLY = "只有县级以上安委办和行业监管部门可以决定和发放举报奖励"
ANONYMOUS = Guard({"has_contact": True}, "anonymous", "举报人未留姓名和电话，无法发放奖励")

FLOW = Workflow(
    model=TipOff,
    event_model=TipOffEvent,
    event_parent="tipoff",
    status_labels=dict(Status.choices),
    field_labels={
        "department": "承办部门",
        "region": "承办区域",
        "reply": "答复举报人的内容",
        "fine_amount": "罚款金额",
        "accident": "事故",
        "concealed_deaths": "查实瞒报死亡人数",
        "enterprise": "企业",
        "paid_on": "发放日期",
        "comment": "说明",
    },
    stale_message="该举报已被他人处理，请刷新后重试",
    select_related=("region", "department"),
    transitions={
        Action.ACCEPT: Transition(
            "受理",
            (Status.RECEIVED,),
            Status.ACCEPTED,
            HANDLERS,
            HANDLERS_ONLY,
            fields=("department", "region", "comment"),
            required=("department",),
        ),
        Action.REJECT: Transition(
            "不予受理",
            (Status.RECEIVED,),
            Status.REJECTED,
            HANDLERS,
            HANDLERS_ONLY,
            fields=("reply", "comment"),
            required=("reply",),
        ),
        Action.VERIFY: Transition(
            "开始核查", (Status.ACCEPTED,), Status.VERIFYING, HANDLERS, HANDLERS_ONLY, fields=("comment",)
        ),
        Action.SUBSTANTIATE: Transition(
            "查实",
            (Status.VERIFYING,),
            Status.SUBSTANTIATED,
            HANDLERS,
            HANDLERS_ONLY,
            fields=("reply", "enterprise", "fine_amount", "accident", "concealed_deaths", "comment"),
            required=("reply",),
        ),
        Action.UNSUBSTANTIATE: Transition(
            "查无实据",
            (Status.VERIFYING,),
            Status.UNSUBSTANTIATED,
            HANDLERS,
            HANDLERS_ONLY,
            fields=("reply", "comment"),
            required=("reply",),
        ),
        Action.DECIDE_REWARD: Transition(
            "决定奖励",
            (Status.SUBSTANTIATED,),
            Status.REWARD_DECIDED,
            REWARDERS,
            REWARDERS_ONLY,
            guards=(ANONYMOUS,),
            fields=("fine_amount", "concealed_deaths", "comment"),
        ),
        Action.PAY_REWARD: Transition(
            "发放奖励",
            (Status.REWARD_DECIDED,),
            Status.REWARD_PAID,
            REWARDERS,
            REWARDERS_ONLY,
            fields=("paid_on", "comment"),
            required=("paid_on",),
        ),
    },
)
