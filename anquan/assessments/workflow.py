"""An assessment's declared workflow (anquan/core/workflow.py; the steps' own work in services.py):

draft ──compute──▶ computed ──publish──▶ published
          ▲  (recompute) │
          └──────────────┘
Computing stores every subject's score from the data (again and again while not published); publishing fixes the
scores and awards the flags the scheme's rule gives.
"""

from __future__ import annotations

from anquan.core.workflow import Transition, Workflow

from .choices import AssessmentAction, AssessmentStatus
from .models import OFFICES, Assessment, AssessmentEvent

OFFICES_ONLY = "只有安委办可以计算和发布考核结果"

FLOW = Workflow(
    model=Assessment,
    event_model=AssessmentEvent,
    event_parent="assessment",
    status_labels=dict(AssessmentStatus.choices),
    stale_message="考核状态已被他人改变，请刷新后重试",
    select_related=("region", "scheme"),
    transitions={
        AssessmentAction.COMPUTE: Transition(
            "计算得分",
            (AssessmentStatus.DRAFT, AssessmentStatus.COMPUTED),
            AssessmentStatus.COMPUTED,
            OFFICES,
            OFFICES_ONLY,
        ),
        AssessmentAction.PUBLISH: Transition(
            "发布结果", (AssessmentStatus.COMPUTED,), AssessmentStatus.PUBLISHED, OFFICES, OFFICES_ONLY
        ),
    },
)
