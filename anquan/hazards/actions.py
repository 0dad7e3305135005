"""A hazard's life (隐患闭环): the fields of each named transition, read and checked, and the changes they make.

The transitions themselves — from which states, to which, who may, their preconditions — are declared once in
`workflow.py` and applied by the one engine (anquan.core.workflow): scope, state, role and preconditions in one
compare-and-set (two reviewers at once: one wins, the other gets 409), the event row, the audit entry and the
notifications, all in one transaction. The UI views and the API both call `transition(...)`; nothing else
writes `Hazard.status` (listing and delisting: listing.py, through the same engine).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from anquan.accounts.models import User
from anquan.core import inputs
from anquan.core.scope import in_scope
from anquan.core.workdays import add_working_days, calendar_known

from .choices import Action, Level, Status
from .errors import FieldError, SeparationOfDuties, ValidationFailed
from .models import Attachment, Hazard, HazardEvent
from .workflow import HAZARD_FLOW, MOVES

MAX_LENGTHS = {
    "responsible_party": Hazard._meta.get_field("responsible_party").max_length,
    "responsible_user": 150,
    "measures": inputs.LONG_TEXT,
    "contingency_plan": inputs.LONG_TEXT,
    "evidence": inputs.LONG_TEXT,
    "reason": inputs.LONG_TEXT,
    "comment": inputs.LONG_TEXT,
    "opinion": inputs.LONG_TEXT,
}
MAX_WORKING_DAYS = 365
MAX_ATTACHMENTS = 50


def declared(action: str, posted) -> dict:
    """The values of `posted` (a form or a dict) that `action` takes; blank ones left out (a posted `now=` or
    `actor=` never reaches `transition`)."""
    return HAZARD_FLOW.declared(action, posted) if action in MOVES else {}


SEPARATED = (Action.ACCEPT_RECTIFICATION, Action.RETURN)  # not by the person who submitted the rectification


def available_actions(hazard: Hazard, user) -> list[str]:
    """Transitions this user could take now (for buttons and the API's `actions` field): the declared ones
    whose state, role and preconditions hold, less those that separation of duties forbids this person."""
    return [
        action
        for action in HAZARD_FLOW.available(hazard, user)
        if action in MOVES and not (action in SEPARATED and hazard.submitted_by_id == user.pk)
    ]


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


@dataclass
class _Step:
    """What one transition writes, read from its fields: the hazard's changes, the event's data, the
    attachments it consumes and, where it differs from the declared one, its target state."""

    changes: dict = field(default_factory=dict)
    data: dict = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)
    target: str | None = None


@transaction.atomic
def transition(hazard: Hazard, action: str, *, actor, now: dt.datetime | None = None, **fields) -> Hazard:
    """Apply `action` to `hazard` as `actor`. Raises Http404 (out of scope), NotPermitted (403), Conflict
    (409: state, precondition, separation of duties, a concurrent change) or ValidationFailed (422); on any
    of these nothing is changed."""
    now = now or timezone.now()
    if action not in MOVES:
        raise ValidationFailed(
            [FieldError("action", "unknown_action", f"未知操作“{action}”，可选：" + "、".join(MOVES))]
        )
    HAZARD_FLOW.accept_fields(action, fields)
    hazard = Hazard.objects.select_related("enterprise", "region").get(pk=hazard.pk)
    HAZARD_FLOW.check(hazard, action, actor)  # refusals by scope, state, role, precondition before the fields

    errors: list[FieldError] = []
    comment = _text(fields, "comment", "说明", errors, required=False)
    comment = _text(fields, "reason", "理由", errors, required=False) if not comment else comment
    if action in (Action.REJECT, Action.CANCEL, Action.RETURN, Action.DENY_EXTENSION) and not comment:
        errors.append(FieldError("reason", "required", "请填写理由"))
    if action in SEPARATED and hazard.submitted_by_id == actor.pk:
        raise SeparationOfDuties
    reader = _STEPS.get(action)
    step = reader(hazard, fields, errors, actor=actor, now=now, comment=comment) if reader else _Step()
    if errors:
        raise ValidationFailed(errors)

    step.data |= {
        k: v for k, v in step.changes.items() if k in ("deadline", "responsible_party", "funds_yuan")
    }
    # what the changes were computed from must still hold when they are written: the listing an acceptance
    # read (a hazard listed meanwhile must not close without its delisting) and the date a grant applies
    # (a request denied and made again meanwhile must not be granted with the old date)
    expect = {"listed_level": hazard.listed_level}
    if action == Action.URGE:  # two urgings at once: one counts, the other is told to refresh
        expect["urge_count"] = hazard.urge_count
    if action == Action.ACCEPT_RECTIFICATION and not comment:
        comment = step.changes["acceptance_opinion"]  # the history shows the opinion
    if action == Action.GRANT_EXTENSION:
        expect["extension_requested_until"] = hazard.extension_requested_until
    stored, event = HAZARD_FLOW.apply(
        hazard,
        action,
        actor=actor,
        changes=step.changes,
        comment=comment,
        data=step.data,
        now=now,
        target=step.target,
        expect=expect,
    )
    for attachment in step.attachments:
        attachment.event = event
        attachment.save(update_fields=["event"])
    return stored


def _assign(hazard: Hazard, fields: dict, errors: list, *, now, **_) -> _Step:
    """The rectification plan; a major hazard's must settle the five assurances (五落实)."""
    major = hazard.level == Level.MAJOR
    changes: dict = {}
    changes["responsible_party"] = _text(fields, "responsible_party", "整改责任人/单位", errors)
    changes["measures"] = _text(fields, "measures", "整改措施", errors, required=major)
    changes["funds_yuan"] = _funds(fields, errors, required=major)
    changes["contingency_plan"] = _text(fields, "contingency_plan", "应急预案", errors, required=major)
    changes["deadline"], changes["deadline_basis"] = _deadline(fields, errors, _local_today(now))
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
    return _Step(changes)


def _submit(hazard: Hazard, fields: dict, errors: list, *, actor, now, **_) -> _Step:
    """The rectification done, with at least one photo or document."""
    evidence = _text(fields, "evidence", "整改情况说明", errors)
    attachments = _attachments(hazard, fields, errors)
    if not attachments and not any(e.field == "attachments" for e in errors):
        errors.append(FieldError("attachments", "required", "请至少上传一张整改照片或一份文件"))
    changes = {
        "evidence": evidence,
        "submitted_by": actor,
        "submitted_at": now,
        "extension_requested_until": None,
    }
    return _Step(changes, attachments=attachments)


def _accept_rectification(hazard: Hazard, fields: dict, errors: list, *, actor, now, comment, **_) -> _Step:
    """验收: the opinion (验收意见; the comment when none is given) and the photos of the check."""
    opinion = _text(fields, "opinion", "验收意见", errors, required=False) or comment
    attachments = _attachments(hazard, fields, errors) if fields.get("attachments") else []
    changes = {"accepted_by": actor, "accepted_at": now, "acceptance_opinion": opinion}
    if hazard.listed_level:
        # a listed hazard closes only when delisted (listing.delist)
        return _Step(changes, attachments=attachments, target=Status.ACCEPTED)
    changes["closed_at"] = now  # `overdue` stays as it was: the ledger shows late closures
    return _Step(changes, attachments=attachments)


def _urge(hazard: Hazard, fields: dict, errors: list, *, now, **_) -> _Step:
    """催办: counted on the hazard; its notifications go out with the step (notifications.notify_urged)."""
    return _Step(
        {"urge_count": hazard.urge_count + 1, "urged_at": now}, data={"count": hazard.urge_count + 1}
    )


def _request_extension(hazard: Hazard, fields: dict, errors: list, *, comment, **_) -> _Step:
    until = _date(fields, "until", "申请延期至", errors)
    if until is None and not any(e.field == "until" for e in errors):
        errors.append(FieldError("until", "required", "请填写申请延期至的日期"))
    elif until is not None and hazard.deadline and until <= hazard.deadline:
        errors.append(FieldError("until", "not_later", "延期日期应晚于原整改期限"))
    if not comment:
        errors.append(FieldError("reason", "required", "请填写延期理由"))
    return _Step(
        {"extension_requested_until": until, "extension_reason": comment},
        data={"until": until.isoformat() if until else None},
    )


def _grant_extension(hazard: Hazard, fields: dict, errors: list, **_) -> _Step:
    until = _date(fields, "until", "批准延期至", errors) or hazard.extension_requested_until
    changes = {
        "deadline": until,
        "deadline_basis": "批准延期",
        "extension_requested_until": None,
        "overdue": False,
    }
    data = {"from": hazard.deadline.isoformat() if hazard.deadline else None, "until": until.isoformat()}
    return _Step(changes, data=data)


def _deny_extension(hazard: Hazard, fields: dict, errors: list, **_) -> _Step:
    return _Step({"extension_requested_until": None})


# the transitions that read fields beyond a comment; the others only move the state
_STEPS = {
    Action.ASSIGN: _assign,
    Action.SUBMIT: _submit,
    Action.ACCEPT_RECTIFICATION: _accept_rectification,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.GRANT_EXTENSION: _grant_extension,
    Action.DENY_EXTENSION: _deny_extension,
    Action.URGE: _urge,
}


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
    """An event that is no transition of its own: overdue marks, escalations, progress reports."""
    return HAZARD_FLOW.record_event(
        hazard, action, actor=actor, comment=comment, data=data, now=now, from_status=from_status
    )
