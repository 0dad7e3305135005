"""A random draw's declared workflow (anquan/core/workflow.py; the steps' own work in services.py):

draft ──draw──▶ drawn ──publish──▶ published ──complete──▶ completed
                                    (results entered per pick; complete once none is pending)
"""

from __future__ import annotations

from anquan.core.workflow import Guard, Transition, Workflow

from .choices import DrawAction, DrawStatus
from .models import DRAW_MANAGERS, RandomDraw, RandomDrawEvent

MANAGERS_ONLY = "只有执法主体的管理人员（安委办、行业监管部门）可以组织双随机抽查"

FLOW = Workflow(
    model=RandomDraw,
    event_model=RandomDrawEvent,
    event_parent="draw",
    status_labels=dict(DrawStatus.choices),
    stale_message="抽查状态已被他人改变，请刷新后重试",
    select_related=("region", "department"),
    transitions={
        DrawAction.DRAW: Transition(
            "抽取", (DrawStatus.DRAFT,), DrawStatus.DRAWN, DRAW_MANAGERS, MANAGERS_ONLY, fields=("seed",)
        ),
        DrawAction.PUBLISH: Transition(
            "公示", (DrawStatus.DRAWN,), DrawStatus.PUBLISHED, DRAW_MANAGERS, MANAGERS_ONLY
        ),
        DrawAction.COMPLETE: Transition(
            "完成",
            (DrawStatus.PUBLISHED,),
            DrawStatus.COMPLETED,
            DRAW_MANAGERS,
            MANAGERS_ONLY,
            guards=(Guard({"results_pending": 0}, "results_pending", "还有抽中的企业未录入检查结果"),),
        ),
    },
)
