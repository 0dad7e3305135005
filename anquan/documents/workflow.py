"""A document's life as a declared workflow (anquan/core/workflow.py): issued by `services.issue` (its event
`issue`), then at most voided (作废) by a supervisor of the issuing department, with a reason. A voided document
stays on file with its number: the number is never given again (ADR official-documents).

    issued ──void 作废──▶ voided"""

from __future__ import annotations

from typing import Any

from anquan.core.permissions import Perm, has_perm
from anquan.core.workflow import Transition, Workflow

from .choices import Status
from .models import Document, DocumentEvent

REFUSAL = "只有签发部门的负责人可以作废文书"


def _issuing_supervisor(user: Any, document: Document) -> bool:
    return (
        has_perm(user, Perm.DOCUMENT_VOID) and getattr(user, "department_id", None) == document.department_id
    )


FLOW: Workflow[Document] = Workflow(
    model=Document,
    event_model=DocumentEvent,
    event_parent="document",
    status_labels=dict(Status.choices),
    field_labels={"reason": "作废理由"},
    stale_message="该文书已被他人处理，请刷新后重试",
    select_related=("enterprise", "department", "region"),
    transitions={
        "void": Transition(
            "作废",
            (Status.ISSUED,),
            Status.VOIDED,
            _issuing_supervisor,
            REFUSAL,
            fields=("reason",),
            required=("reason",),
        ),
    },
)
