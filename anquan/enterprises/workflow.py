"""An enterprise's operating status as a declared workflow (anquan/core/workflow.py): named transitions
taken by those who supervise it (offices of every level and department supervisors: `Perm.ENTERPRISE_SUPERVISE`),
each with a reason, an EnterpriseEvent (shown on the enterprise's page) and an audit entry.

    operating ──suspend 停产──▶ suspended ──resume 复产──▶ operating
        │                          │
        └──────close 关闭──────────┴──▶ closed ──reopen 恢复经营──▶ operating

The status is never edited as a field: the form, the API's PATCH and the import refuse a changed status
(an import or a new registration may give the status the enterprise already has: its initial state)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.permissions import Perm, has_perm
from anquan.core.workflow import Transition, Workflow

from .choices import Status
from .models import Enterprise, EnterpriseEvent

REASON_MAX = 500
REFUSAL = "只有安委办和行业监管部门可以变更企业经营状态"


def _supervises(user, enterprise) -> bool:
    return has_perm(user, Perm.ENTERPRISE_SUPERVISE)


def _step(label: str, sources: tuple, target: str) -> Transition:
    return Transition(label, sources, target, _supervises, REFUSAL, fields=("reason",), required=("reason",))


FLOW = Workflow(
    model=Enterprise,
    event_model=EnterpriseEvent,
    event_parent="enterprise",
    status_labels=dict(Status.choices),
    field_labels={"reason": "理由"},
    stale_message="该企业的经营状态已被他人变更，请刷新后重试",
    select_related=("region", "industry", "territorial_region", "supervising_department", "grid"),
    transitions={
        "suspend": _step("停产", (Status.OPERATING,), Status.SUSPENDED),
        "resume": _step("复产", (Status.SUSPENDED,), Status.OPERATING),
        "close": _step("关闭", (Status.OPERATING, Status.SUSPENDED), Status.CLOSED),
        "reopen": _step("恢复经营", (Status.CLOSED,), Status.OPERATING),
    },
)
ACTIONS = tuple(FLOW.transitions)


@transaction.atomic
def transition(
    enterprise: Enterprise, action: str, *, actor, now: dt.datetime | None = None, **fields
) -> Enterprise:
    """Take `action` (suspend | resume | close | reopen) with its `reason`: 404 out of scope, 409 wrong state
    or changed meanwhile, 403 not a supervisor, 422 fields."""
    FLOW.check(enterprise, action, actor)
    FLOW.accept_fields(action, fields)
    reason = str(fields.get("reason") or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationFailed([FieldError("reason", "too_long", f"理由不能超过{REASON_MAX}个字")])
    if not reason:
        raise ValidationFailed([FieldError("reason", "required", "请填写理由")])
    stored, _event = FLOW.apply(
        enterprise,
        action,
        actor=actor,
        comment=reason,
        now=now,
        audit_comment=f"{FLOW.get(action).label}：{reason}",
    )
    return stored


def status_refusal() -> FieldError:
    """What the form, the API's PATCH and the import answer when asked to change the status as a field."""
    labels = "、".join(spec.label for spec in FLOW.transitions.values())
    return FieldError("status", "use_transition", f"经营状态不能直接修改，请使用{labels}操作")
