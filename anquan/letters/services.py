"""Letters: who may write to whom, the draft, its issue with a number, the steps after it, and the overdue sweep.

Pages and the API call these functions; every status change goes through the workflow (workflow.py) and every
write is audited. Input is checked field by field (core.inputs, 422 in Chinese) before anything is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from anquan.campaigns.models import Task
from anquan.core import audit, inputs
from anquan.core.counters import take_next
from anquan.core.errors import FieldError, NotPermitted, ValidationFailed
from anquan.core.scope import in_scope, restrict, within
from anquan.core.uploads import store_upload
from anquan.orgs.models import Department
from anquan.regions.choices import RegionLevel
from anquan.regions.models import Region

from . import rules
from .choices import Action, LetterKind, LetterStatus
from .models import Letter, LetterAttachment, LetterNumberCounter
from .workflow import FLOW, ISSUING

MAX = {
    "subject": 200,
    "body": 20_000,
    "required_actions": 5_000,
    "reply": 20_000,
    "place": 200,
    "comment": 1_000,
}
MAX_FILES = 10
RELATED = ("issuer_region", "recipient_region", "recipient_department", "task")


# ---- who sees and who writes ----------------------------------------------------------------------------------


def letters_for(user: Any) -> QuerySet[Letter]:
    """The letters in the user's scope (core.scope.restrict); a draft only to the offices over its issuer."""
    qs = restrict(Letter, user).select_related(*RELATED)
    if getattr(user, "department_id", None) or not getattr(user, "region_id", None):
        return qs.exclude(status=LetterStatus.DRAFT)
    return qs.filter(~Q(status=LetterStatus.DRAFT) | within(user.region.prefix, "issuer_region__code"))


def can_issue(user: Any) -> bool:
    """A committee office of a province, city or county (not a department's user)."""
    return (
        getattr(user, "role", None) in ISSUING
        and not getattr(user, "department_id", None)
        and bool(getattr(user, "region_id", None))
    )


def recipient_regions(issuer: Region) -> QuerySet[Region]:
    """The regions an office writes to: below its own, down to the townships."""
    return Region.objects.filter(
        within(issuer.prefix, "code"), level__gt=issuer.level, level__lte=RegionLevel.TOWNSHIP
    ).order_by("code")


def department_regions(issuer: Region) -> QuerySet[Region]:
    """The regions whose department offices an office writes to: its own and those below it, down to counties."""
    return Region.objects.filter(within(issuer.prefix, "code"), level__lte=RegionLevel.COUNTY).order_by(
        "code"
    )


def _recipient(
    issuer: Region, raw: dict[str, Any], errors: list[FieldError]
) -> tuple[Region | None, Department | None]:
    code = str(raw.get("recipient_region") or "").strip()
    name = str(raw.get("recipient_department") or "").strip()
    department = None
    if name:
        department = Department.objects.filter(Q(name=name) | Q(code=name)).first()
        if department is None:
            errors.append(FieldError("recipient_department", "unknown_department", "受函部门不存在"))
    if not code:
        errors.append(FieldError("recipient_region", "required", "请选择受函地区"))
        return None, department
    region = Region.objects.filter(code=code).first()
    allowed = department_regions(issuer) if name else recipient_regions(issuer)
    if region is None or not allowed.filter(pk=region.pk).exists():
        message = (
            "受函部门应为本级或下级的部门"
            if name
            else "受函地区应为本单位管辖范围内的下级地区（不能向上级或其他地区发函）"
        )
        errors.append(FieldError("recipient_region", "out_of_area", message))
        return None, department
    return region, department


def _task(raw: dict[str, Any], actor: Any, errors: list[FieldError]) -> Task | None:
    task_id = inputs.integer(raw.get("task"), "task", "攻坚任务", errors, low=1, high=2**31 - 1)
    if task_id is None:
        return None
    task = Task.objects.filter(pk=task_id).first()
    if task is None or not in_scope(task, actor):
        errors.append(FieldError("task", "unknown_task", "攻坚任务不存在或不在您的管辖范围内"))
        return None
    return task


def _fields(raw: dict[str, Any], actor: Any, today: dt.date, errors: list[FieldError]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kind = str(raw.get("kind") or "").strip()
    if kind not in LetterKind.values:
        errors.append(FieldError("kind", "invalid_choice", "请选择函件类型：工作提示函、督办函或约谈"))
    out["kind"] = kind
    out["subject"] = inputs.text(
        raw.get("subject"), "subject", "事由", errors, max_length=MAX["subject"], required=True
    )
    out["body"] = inputs.text(
        raw.get("body"), "body", "函件正文", errors, max_length=MAX["body"], required=True
    )
    out["required_actions"] = inputs.text(
        raw.get("required_actions"),
        "required_actions",
        "工作要求",
        errors,
        max_length=MAX["required_actions"],
        required=True,
    )
    due = inputs.day(raw.get("reply_due"), "reply_due", "回复期限", errors)
    if due is None and not any(e.field == "reply_due" for e in errors):
        errors.append(FieldError("reply_due", "required", "请填写回复期限"))
    elif due is not None and due < today:
        errors.append(FieldError("reply_due", "in_past", "回复期限不能早于今天"))
    out["reply_due"] = due
    out["interview_at"], out["interview_place"] = None, ""
    if kind == LetterKind.INTERVIEW:
        out["interview_at"] = _interview_time(raw.get("interview_at"), today, errors)
        out["interview_place"] = inputs.text(
            raw.get("interview_place"),
            "interview_place",
            "约谈地点",
            errors,
            max_length=MAX["place"],
            required=True,
        )
    return out


def _interview_time(value: Any, today: dt.date, errors: list[FieldError]) -> dt.datetime | None:
    if value in (None, ""):
        errors.append(FieldError("interview_at", "required", "约谈通知须写明约谈时间"))
        return None
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            errors.append(FieldError("interview_at", "invalid", "约谈时间格式不正确（如2026-12-10T09:30）"))
            return None
    if not isinstance(value, dt.datetime):
        errors.append(FieldError("interview_at", "invalid", "约谈时间格式不正确（如2026-12-10T09:30）"))
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if timezone.localdate(value) < today or value.year > today.year + 5:
        errors.append(FieldError("interview_at", "out_of_range", "约谈时间应在今天以后（五年以内）"))
        return None
    moment: dt.datetime = value
    return moment


# ---- writing ----------------------------------------------------------------------------------------------------


def create_letter(raw: dict[str, Any], *, actor: Any, issue: bool = False) -> Letter:
    """A draft letter of the actor's office (422 field by field); `issue` issues it at once (numbered)."""
    if not can_issue(actor):
        raise NotPermitted("只有省、市、县安委办可以发函")
    today = timezone.localdate()
    errors: list[FieldError] = []
    issuer: Region = actor.region
    values = _fields(raw, actor, today, errors)
    region, department = _recipient(issuer, raw, errors)
    task = _task(raw, actor, errors)
    if errors or region is None:
        raise ValidationFailed(errors)
    with transaction.atomic():
        letter = Letter.objects.create(
            **values,
            issuer_region=issuer,
            recipient_region=region,
            recipient_department=department,
            task=task,
            created_by=actor,
        )
        audit.record_create(letter, actor=actor, comment=f"起草{letter.get_kind_display()}：{letter.subject}")
        FLOW.record_event(letter, Action.CREATE, actor=actor, from_status="")
        if issue:
            letter = issue_letter(letter, actor=actor)
    return letter


def _number(letter: Letter, on: dt.date) -> str:
    from anquan.rules.services import in_force

    version = in_force(rules.KEY, on=on, region_code=letter.issuer_region.code)
    numbering = version.typed
    assert isinstance(numbering, rules.LetterNumbering)
    seq = take_next(
        LetterNumberCounter, issuer_code=letter.issuer_region.code, kind=letter.kind, year=on.year
    )
    return rules.format_number(
        numbering, letter.issuer_region.code, letter.issuer_region.name, letter.kind, on.year, seq
    )


def issue_letter(letter: Letter, *, actor: Any) -> Letter:
    """Issue a draft: numbered now (per office, kind and year, in the transaction: never a shared number)."""
    FLOW.check(letter, Action.ISSUE, actor)
    today = timezone.localdate()
    if letter.reply_due < today:
        raise ValidationFailed([FieldError("reply_due", "in_past", "回复期限已过，请先修改回复期限")])
    with transaction.atomic():
        number = _number(letter, today)
        fresh, _ = FLOW.apply(
            letter,
            Action.ISSUE,
            actor=actor,
            changes={"number": number, "issued_on": today},
            data={"number": number},
        )
    return fresh


def transition(
    letter: Letter, action: str, *, actor: Any, files: Sequence[Any] = (), **fields: Any
) -> Letter:
    """Take `action` on `letter` as `actor` with the step's fields (and, for a reply, its files): the one entry
    of pages and API for every step after the draft."""
    if action == Action.ISSUE:
        return issue_letter(letter, actor=actor)
    given = {k: v for k, v in fields.items() if v not in (None, "")}
    FLOW.accept_fields(action, given)
    FLOW.check(letter, action, actor)  # 404 / 409 / 403 before the fields are read
    if files and action != Action.REPLY:
        raise ValidationFailed([FieldError("files", "unexpected_field", "只有回复可以附文件")])
    if len(files) > MAX_FILES:
        raise ValidationFailed([FieldError("files", "too_many", f"附件最多{MAX_FILES}个")])
    errors: list[FieldError] = []
    today = timezone.localdate()
    key = {str(Action.REPLY): "reply", str(Action.CLOSE): "opinion"}.get(str(action), "reason")
    text = inputs.text(
        given.get(key), key, FLOW.field_labels[key], errors, max_length=MAX["reply"], required=True
    )
    if errors:
        raise ValidationFailed(errors)
    changes: dict[str, Any] = {}
    target = None
    data: dict[str, Any] = {}
    comment = text[: MAX["comment"]]
    if action == Action.REPLY:
        changes = {"reply": text, "replied_on": today}
        data = {"late": today > letter.reply_due}
        comment = ""
    elif action == Action.CLOSE:
        changes = {"closed_on": today}
    elif action == Action.SEND_BACK:
        changes = {"replied_on": None}
        data = {"previous_reply": letter.reply}
        target = LetterStatus.OVERDUE if today > letter.reply_due else None
    with transaction.atomic():
        fresh, event = FLOW.apply(
            letter, action, actor=actor, changes=changes, comment=comment, data=data, target=target
        )
        if action == Action.REPLY:
            names = [_attach(fresh, upload, actor) for upload in files]
            if event is not None and names:
                event.data = {**event.data, "attachments": names}
                event.save(update_fields=["data"])
    return fresh


def _attach(letter: Letter, upload: Any, actor: Any) -> str:
    row = LetterAttachment(letter=letter, of_reply=True)
    store_upload(row, upload, actor=actor, comment=f"回复附件：{letter.number}")
    return row.name


# ---- the daily sweep ---------------------------------------------------------------------------------------------


def mark_overdue(today: dt.date | None = None) -> list[int]:
    """Issued letters whose reply is past due become overdue (actor: the system), in one short transaction per
    batch; a letter a user replied to meanwhile is skipped by the engine's compare-and-set. Returns their ids."""
    today = today or timezone.localdate()
    due = Letter.objects.filter(status=LetterStatus.ISSUED, reply_due__lt=today).select_related(*RELATED)
    changed: list[int] = []
    batch = list(due.order_by("pk")[:500])
    while batch:
        changed += [
            letter.pk for letter in FLOW.apply_many(batch, Action.MARK_OVERDUE, comment="超过回复期限")
        ]
        last = batch[-1].pk
        batch = list(due.filter(pk__gt=last).order_by("pk")[:500])
    return changed
