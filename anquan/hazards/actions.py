"""A hazard's life (隐患闭环): every status change is one of these named transitions.

Each transition checks the actor's role (rules.py) and the hazard's state, applies the change
with a compare-and-set on the old status (two reviewers at once: one wins, the other gets 409),
writes a HazardEvent and an audit entry, and queues notifications — all in one transaction.
The UI views and the API both call `transition(...)`; nothing else writes `Hazard.status`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anquan.accounts.models import User
from anquan.accounts.scope import in_scope
from anquan.core import audit, inputs
from anquan.core.models import AuditAction
from anquan.core.workdays import add_working_days, calendar_known
from anquan.risk import levels as risk_levels

from . import rules
from .choices import OPEN_STATUSES, Action, Level, Status
from .errors import (
    FieldError,
    InvalidState,
    RoleRefused,
    SeparationOfDuties,
    Stale,
    ValidationFailed,
)
from .models import Attachment, Hazard, HazardEvent
from .notifications import notify_for_transition


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str | None  # None: the status stays (extension requests and decisions)
    allowed: object  # rules predicate (user, hazard) -> bool
    refusal: str


TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: Transition(
        (Status.REPORTED,),
        Status.CONFIRMED,
        rules.can_accept_report,
        "只有监管部门或安委办可以受理上报的隐患",
    ),
    Action.REJECT: Transition(
        (Status.REPORTED,), Status.REJECTED, rules.can_accept_report, "只有监管部门或安委办可以退回上报的隐患"
    ),
    Action.ASSIGN: Transition(
        (Status.CONFIRMED,), Status.RECTIFYING, rules.can_assign, "您无权部署该隐患的整改"
    ),
    Action.SUBMIT: Transition(
        (Status.RECTIFYING,), Status.SUBMITTED, rules.can_submit, "只有整改责任方可以提交整改结果"
    ),
    Action.ACCEPT_RECTIFICATION: Transition(
        (Status.SUBMITTED,), Status.CLOSED, rules.can_review, "您无权验收该隐患的整改"
    ),
    Action.RETURN: Transition(
        (Status.SUBMITTED,), Status.RECTIFYING, rules.can_review, "您无权退回该隐患的整改"
    ),
    Action.CANCEL: Transition(
        tuple(OPEN_STATUSES), Status.CANCELLED, rules.can_cancel, "只有安委办或部门负责人可以撤销隐患"
    ),
    Action.REQUEST_EXTENSION: Transition(
        (Status.RECTIFYING,), None, rules.can_submit, "只有整改责任方可以申请延期"
    ),
    Action.GRANT_EXTENSION: Transition((Status.RECTIFYING,), None, rules.can_review, "您无权批准延期"),
    Action.DENY_EXTENSION: Transition((Status.RECTIFYING,), None, rules.can_review, "您无权驳回延期申请"),
}


# the fields each action takes: the API schema documents them, the API refuses others and the page
# passes on only these (a posted `now=` or `actor=` never reaches `transition`)
REASON = ("reason", "comment")
FIELDS: dict[str, tuple[str, ...]] = {
    Action.ACCEPT: ("comment",),
    Action.REJECT: REASON,
    Action.ASSIGN: (
        "responsible_party",
        "responsible_user",
        "measures",
        "funds_yuan",
        "contingency_plan",
        "deadline",
        "deadline_working_days",
        "deadline_start",
        "comment",
    ),
    Action.SUBMIT: ("evidence", "attachments", "comment"),
    Action.ACCEPT_RECTIFICATION: ("comment",),
    Action.RETURN: REASON,
    Action.CANCEL: REASON,
    Action.REQUEST_EXTENSION: ("until", *REASON),
    Action.GRANT_EXTENSION: ("until", "comment"),
    Action.DENY_EXTENSION: REASON,
}
MAX_LENGTHS = {
    "responsible_party": Hazard._meta.get_field("responsible_party").max_length,
    "responsible_user": 150,
    "measures": inputs.LONG_TEXT,
    "contingency_plan": inputs.LONG_TEXT,
    "evidence": inputs.LONG_TEXT,
    "reason": inputs.LONG_TEXT,
    "comment": inputs.LONG_TEXT,
}
MAX_WORKING_DAYS = 365
MAX_ATTACHMENTS = 50


def declared(action: str, posted) -> dict:
    """The values of `posted` (a form or a dict) that `action` takes; blank ones left out."""
    return {k: posted[k] for k in FIELDS.get(action, ()) if k in posted and posted[k] not in (None, "")}


def available_actions(hazard: Hazard, user) -> list[str]:
    """Transitions this user could take now (for buttons and the API's `actions` field)."""
    result = []
    for action, spec in TRANSITIONS.items():
        if hazard.status not in spec.sources or not spec.allowed(user, hazard):
            continue
        if action in (Action.GRANT_EXTENSION, Action.DENY_EXTENSION) and not hazard.extension_requested_until:
            continue
        if action == Action.REQUEST_EXTENSION and hazard.extension_requested_until:
            continue
        if action in (Action.ACCEPT_RECTIFICATION, Action.RETURN) and hazard.submitted_by_id == user.pk:
            continue
        result.append(action)
    return result


# ---- field parsing -------------------------------------------------------------------------------


def _text(fields: dict, name: str, label: str, errors: list, *, required: bool = True) -> str:
    return inputs.text(fields.get(name), name, label, errors, max_length=MAX_LENGTHS[name], required=required)


def _date(fields: dict, name: str, label: str, errors: list) -> dt.date | None:
    """A date within the plausible window (no deadline in 9999, none in year 1)."""
    return inputs.day(fields.get(name), name, label, errors)


def _deadline(fields: dict, errors: list, today: dt.date) -> tuple[dt.date | None, str]:
    """`deadline` (a date) or `deadline_working_days` (counted from `deadline_start`, default today)."""
    days = fields.get("deadline_working_days")
    if days not in (None, ""):
        days = inputs.integer(
            days, "deadline_working_days", "整改期限（工作日）", errors, low=1, high=MAX_WORKING_DAYS
        )
        start = _date(fields, "deadline_start", "期限起算日", errors) or today
        if days is None or any(e.field == "deadline_start" for e in errors):
            return None, ""
        deadline = add_working_days(start, days)
        basis = f"{start.isoformat()}起{days}个工作日"
        if not calendar_known(deadline.year):
            basis += f"（{deadline.year}年节假日安排未公布，暂按周一至周五计算）"
        return deadline, basis
    deadline = _date(fields, "deadline", "整改期限", errors)
    if deadline is None and not any(e.field == "deadline" for e in errors):
        errors.append(FieldError("deadline", "required", "整改期限不能为空（日期或工作日数）"))
    elif deadline is not None and deadline < today:
        errors.append(FieldError("deadline", "in_past", "整改期限不能早于今天"))
    return deadline, ""


def _funds(fields: dict, errors: list, *, required: bool) -> Decimal | None:
    value = fields.get("funds_yuan")
    if value in (None, ""):
        if required:
            errors.append(FieldError("funds_yuan", "required", "整改资金不能为空"))
        return None
    return inputs.amount(value, "funds_yuan", "整改资金（元）", errors)


def _attachments(hazard: Hazard, fields: dict, errors: list) -> list[Attachment]:
    ids = fields.get("attachments") or []
    if (
        not isinstance(ids, list)
        or len(ids) > MAX_ATTACHMENTS
        or not all(isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31 for i in ids)
    ):
        errors.append(FieldError("attachments", "invalid", "附件应为附件编号列表"))
        return []
    found = list(Attachment.objects.filter(hazard=hazard, pk__in=ids, event__isnull=True))
    if len(found) != len(set(ids)):
        errors.append(FieldError("attachments", "unknown_attachment", "附件不存在或已被使用"))
    return found


def _local_today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now).date()


# ---- the transition ------------------------------------------------------------------------------


@transaction.atomic
def transition(hazard: Hazard, action: str, *, actor, now: dt.datetime | None = None, **fields) -> Hazard:
    """Apply `action` to `hazard` as `actor`. Raises RoleRefused (403), InvalidState / SeparationOfDuties /
    Stale (409) or ValidationFailed (422); on any of these nothing is changed."""
    now = now or timezone.now()
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise ValidationFailed(
            [FieldError("action", "unknown_action", f"未知操作“{action}”，可选：" + "、".join(TRANSITIONS))]
        )
    unexpected = sorted(set(fields) - set(FIELDS[action]))
    if unexpected:
        raise ValidationFailed(
            [
                FieldError(name, "unexpected_field", f"“{Action(action).label}”不接受该字段")
                for name in unexpected
            ]
        )
    hazard = Hazard.objects.select_related("enterprise", "region").get(pk=hazard.pk)
    label = Action(action).label
    if not in_scope(hazard, actor):
        raise RoleRefused("该隐患不在您的管辖范围内")
    if hazard.status not in spec.sources:
        raise InvalidState(label, Status(hazard.status).label)
    if not spec.allowed(actor, hazard):
        raise RoleRefused(spec.refusal)

    before = audit.snapshot(hazard)
    old_status = hazard.status
    errors: list[FieldError] = []
    changes: dict = {}
    data: dict = {}
    attachments: list[Attachment] = []
    comment = _text(fields, "comment", "说明", errors, required=False)
    comment = _text(fields, "reason", "理由", errors, required=False) if not comment else comment
    today = _local_today(now)

    if action in (Action.REJECT, Action.CANCEL, Action.RETURN, Action.DENY_EXTENSION) and not comment:
        errors.append(FieldError("reason", "required", "请填写理由"))

    if action == Action.ASSIGN:
        major = hazard.level == Level.MAJOR
        changes["responsible_party"] = _text(fields, "responsible_party", "整改责任人/单位", errors)
        changes["measures"] = _text(fields, "measures", "整改措施", errors, required=major)
        changes["funds_yuan"] = _funds(fields, errors, required=major)
        changes["contingency_plan"] = _text(fields, "contingency_plan", "应急预案", errors, required=major)
        changes["deadline"], changes["deadline_basis"] = _deadline(fields, errors, today)
        username = _text(fields, "responsible_user", "通知账号", errors, required=False)
        changes["responsible_user"] = None
        if username:
            person = User.objects.filter(username=username, is_active=True).first()
            if person is None or not in_scope(hazard, person):
                errors.append(
                    FieldError("responsible_user", "unknown_user", f"账号“{username}”不存在或无权查看该隐患")
                )
            changes["responsible_user"] = person
        if major and errors:
            errors.insert(
                0,
                FieldError(
                    "plan",
                    "five_assurances",
                    "重大事故隐患的整改方案须落实措施、责任、资金、时限和预案（五落实）",
                ),
            )
    elif action == Action.SUBMIT:
        changes["evidence"] = _text(fields, "evidence", "整改情况说明", errors)
        attachments = _attachments(hazard, fields, errors)
        if not attachments and not any(e.field == "attachments" for e in errors):
            errors.append(FieldError("attachments", "required", "请至少上传一张整改照片或一份文件"))
        changes.update(submitted_by=actor, submitted_at=now, extension_requested_until=None)
    elif action in (Action.ACCEPT_RECTIFICATION, Action.RETURN):
        if hazard.submitted_by_id == actor.pk:
            raise SeparationOfDuties
        if action == Action.ACCEPT_RECTIFICATION:
            changes.update(accepted_by=actor, accepted_at=now)
            if hazard.active_listing is not None:
                spec = Transition(spec.sources, Status.ACCEPTED, spec.allowed, spec.refusal)
            else:
                changes["closed_at"] = now  # `overdue` stays as it was: the ledger shows late closures
    elif action == Action.REQUEST_EXTENSION:
        until = _date(fields, "until", "申请延期至", errors)
        if until is None and not any(e.field == "until" for e in errors):
            errors.append(FieldError("until", "required", "请填写申请延期至的日期"))
        elif until is not None and hazard.deadline and until <= hazard.deadline:
            errors.append(FieldError("until", "not_later", "延期日期应晚于原整改期限"))
        if not comment:
            errors.append(FieldError("reason", "required", "请填写延期理由"))
        changes.update(extension_requested_until=until, extension_reason=comment)
        data["until"] = until.isoformat() if until else None
    elif action == Action.GRANT_EXTENSION:
        if not hazard.extension_requested_until:
            raise InvalidState(label, "无延期申请")
        until = _date(fields, "until", "批准延期至", errors) or hazard.extension_requested_until
        changes.update(
            deadline=until, deadline_basis="批准延期", extension_requested_until=None, overdue=False
        )
        data["from"], data["until"] = (
            (hazard.deadline.isoformat() if hazard.deadline else None),
            until.isoformat(),
        )
    elif action == Action.DENY_EXTENSION:
        if not hazard.extension_requested_until:
            raise InvalidState(label, "无延期申请")
        changes["extension_requested_until"] = None
    if errors:
        raise ValidationFailed(errors)

    target = spec.target or old_status
    # compare-and-set on the old status: a concurrent transition makes this update match no row
    updated = Hazard.objects.filter(pk=hazard.pk, status=old_status).update(
        status=target, updated_at=now, **changes
    )
    if updated != 1:
        raise Stale
    hazard.refresh_from_db()
    event = HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_status=old_status,
        to_status=target,
        actor=actor,
        actor_label=actor.get_full_name() or str(actor),
        at=now,
        comment=comment,
        data=data
        | {
            k: _jsonable(v)
            for k, v in changes.items()
            if k in ("deadline", "responsible_party", "funds_yuan")
        },
    )
    for attachment in attachments:
        attachment.event = event
        attachment.save(update_fields=["event"])
    audit.record(
        AuditAction.TRANSITION,
        hazard,
        actor=actor,
        before=before,
        after=audit.snapshot(hazard),
        comment=f"{action}: {old_status} → {target}",
    )
    notify_for_transition(hazard, action, actor)
    if hazard.enterprise_id:  # an open major hazard raises the enterprise's risk level (risk.levels)
        risk_levels.refresh(hazard.enterprise_id)
    return hazard


def _jsonable(value):
    if isinstance(value, dt.date | Decimal):
        return str(value)
    return value


def record_event(
    hazard: Hazard,
    action: str,
    *,
    actor=None,
    comment: str = "",
    data: dict | None = None,
    now: dt.datetime | None = None,
    from_status: str | None = None,
) -> HazardEvent:
    """An event outside `transition`: overdue marks, escalations, listings, progress reports, delisting."""
    return HazardEvent.objects.create(
        hazard=hazard,
        action=action,
        from_status=from_status or hazard.status,
        to_status=hazard.status,
        actor=actor,
        actor_label=(actor.get_full_name() or str(actor)) if actor else "系统",
        at=now or timezone.now(),
        comment=comment,
        data=data or {},
    )
