"""查封、扣押 on site (安全生产法第六十五条第一款第（四）项): the facilities, equipment or goods that do not meet the
standards, or the place of illegal work, sealed or seized by the inspection's inspectors → 强制措施决定书.

It is a coercive measure, not a penalty, so it is an inspection step like the on-site measures (issuing.py), in
the same transaction as its document. Its period is the rule version in force (rules.py: 30 days under Order 15;
Order 18's text is not held), asked in days and refused beyond it.

Each one is kept as a `Seizure` with its own life (SEIZURES, through the workflow engine): the extension approved
by the head (经负责人批准, with its reason, at most the version's extension days in all: 行政强制法第二十五条), the
release (解除, with the date and what was released), and a to-do for the unit when its period is about to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anquan.core import inputs
from anquan.core.errors import Conflict, FieldError, ValidationFailed
from anquan.core.permissions import Role
from anquan.core.scope import restrict
from anquan.core.workflow import Transition, Workflow
from anquan.documents.choices import DocumentKind
from anquan.documents.models import Document
from anquan.documents.services import issue
from anquan.rules.models import RuleVersion
from anquan.rules.services import in_force

from .choices import SEIZURE_MEASURES
from .issuing import BASIS_MAX, FACTS_MAX, _bad_items, _locked, _problem, party, unit
from .models import Inspection, Seizure, SeizureStatus
from .rules import KIND, SeizureFigures
from .workflow import INSPECTIONS, is_inspector_of

SEIZURE_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（四）项"
ITEM_MAX = 200
MAX_ITEMS = 50


def figures(inspection: Inspection, on: dt.date) -> RuleVersion:
    return in_force(KIND, on=on, region_code=inspection.enterprise.region_code)


def _items(raw: Any, errors: list[FieldError]) -> list[str]:
    values = raw.splitlines() if isinstance(raw, str) else list(raw or [])
    items: list[str] = []
    for n, value in enumerate(values):
        text = inputs.text(value, f"items.{n}", "查封扣押物品", errors, max_length=ITEM_MAX)
        if text and text not in items:
            items.append(text)
    if len(items) > MAX_ITEMS:
        errors.append(FieldError("items", "too_many", f"查封扣押物品最多{MAX_ITEMS}项"))
    elif not items and not any(e.field.startswith("items") for e in errors):
        errors.append(FieldError("items", "required", "请逐项填写查封、扣押的设施、设备、器材、物品或场所"))
    return items


@transaction.atomic
def seize(
    inspection: Inspection, raw: dict[str, Any], *, actor: Any, now: dt.datetime | None = None
) -> Document:
    """raw: measure (查封 | 扣押), items (a list, or lines of text), period_days (1 … the rule's maximum), facts
    (default: the non-compliant items), legal_basis (default SEIZURE_BASIS)."""
    now = now or timezone.now()
    INSPECTIONS.accept_fields("seize", raw)
    insp = _locked(inspection)
    INSPECTIONS.check(insp, "seize", actor)
    errors: list[FieldError] = []
    measure = str(raw.get("measure") or "").strip()
    if measure not in SEIZURE_MEASURES:
        errors.append(FieldError("measure", "invalid_choice", "请选择查封或扣押"))
    items = _items(raw.get("items"), errors)
    version = figures(insp, timezone.localtime(now).date())
    limits = version.typed
    assert isinstance(limits, SeizureFigures)
    period = inputs.integer(
        raw.get("period_days"), "period_days", "期限（日）", errors, low=1, high=limits.max_days
    )
    if period is None and not any(e.field == "period_days" for e in errors):
        errors.append(FieldError("period_days", "required", f"请填写期限（不超过{limits.max_days}日）"))
    facts = inputs.text(raw.get("facts"), "facts", "违法事实", errors, max_length=FACTS_MAX)
    facts = facts or "\n".join(f"{n}. {_problem(i)}" for n, i in enumerate(_bad_items(insp), start=1))
    if not facts and not any(e.field == "facts" for e in errors):
        errors.append(FieldError("facts", "required", "请填写违法事实（本次检查尚无不符合项）"))
    basis = inputs.text(raw.get("legal_basis"), "legal_basis", "法律依据", errors, max_length=BASIS_MAX)
    if errors:
        raise ValidationFailed(errors)
    context = {
        "party": party(insp),
        "facts": facts,
        "legal_basis": basis or SEIZURE_BASIS,
        "measure": measure,
        "items": items,
        "period_days": period,
    }
    document = issue(DocumentKind.COERCIVE_MEASURES, unit(insp), insp, context, actor, now=now)
    assert period is not None
    starts = timezone.localtime(now).date()
    Seizure.objects.create(
        inspection=insp,
        document=document,
        rule_version=version,
        measure=measure,
        items=items,
        starts_on=starts,
        period_days=period,
        ends_on=starts + dt.timedelta(days=period - 1),
        created_at=now,
        updated_at=now,
    )
    INSPECTIONS.apply(
        insp,
        "seize",
        actor=actor,
        comment=f"{document.number}：{measure}" + "、".join(items),
        data={"document": document.pk, "number": document.number, "rule_version": version.id},
        now=now,
    )
    return document


# --- its life: extension, release, the warning before it ends -------------------------------------------

DUE_SOON_DAYS = 3  # the unit is warned this many days before a seizure ends (todo.seizures_due)


def may_act(user: Any, seizure: Seizure) -> bool:
    """The inspection's inspectors, or a head of the unit that decided it (the department in that region)."""
    insp = seizure.inspection
    if is_inspector_of(user, insp):
        return True
    return bool(
        getattr(user, "role", None) == Role.DEPARTMENT_SUPERVISOR
        and user.department_id == insp.department_id
        and user.region_id == insp.region_id
    )


SEIZURES: Workflow[Seizure] = Workflow(
    model=Seizure,
    event_model=None,
    event_parent="",
    transitions={
        "extend": Transition(
            "延长查封扣押期限",
            (SeizureStatus.IN_FORCE,),
            None,
            may_act,
            "只有本次检查的执法人员或本部门负责人可以执行此操作",
            fields=("days", "reason", "approved_on"),  # both required: checked with the others by extend()
        ),
        "release": Transition(
            "解除查封扣押",
            (SeizureStatus.IN_FORCE,),
            SeizureStatus.RELEASED,
            may_act,
            "只有本次检查的执法人员或本部门负责人可以执行此操作",
            fields=("released_on", "items", "note"),
        ),
    },
    status_labels={s.value: s.label for s in SeizureStatus},
    field_labels={"days": "延长天数", "reason": "延长理由"},
    stale_message="该查封扣押已被他人处理，请刷新后重试",
    select_related=("inspection",),
)


def scoped(user: Any) -> QuerySet[Seizure]:
    return restrict(Seizure, user).select_related("inspection", "document", "rule_version")


def _locked_seizure(seizure: Seizure) -> Seizure:
    return Seizure.objects.select_for_update().select_related("inspection", "rule_version").get(pk=seizure.pk)


@transaction.atomic
def extend(seizure: Seizure, raw: dict[str, Any], *, actor: Any) -> Seizure:
    """经负责人批准延长: `days` (1 … what the rule version in force at the decision leaves), `reason`, `approved_on`
    (default today). Beyond the limit: 422 naming the days left (0 once fully extended)."""
    SEIZURES.accept_fields("extend", raw)
    current = _locked_seizure(seizure)
    SEIZURES.check(current, "extend", actor)
    limits = current.rule_version.typed
    assert isinstance(limits, SeizureFigures)
    left = limits.max_extension_days - current.extended_days
    if left <= 0:
        raise Conflict(
            "extension_used",
            f"查封、扣押期限已延长{current.extended_days}日，不得再延长（延长期限不超过{limits.max_extension_days}日）",
        )
    errors: list[FieldError] = []
    days = inputs.integer(raw.get("days"), "days", "延长天数", errors, low=1, high=10_000)
    if days is None and not errors:
        errors.append(FieldError("days", "required", "请填写延长天数"))
    if days is not None and days > left:
        errors.append(
            FieldError(
                "days", "too_long", f"延长期限不得超过{limits.max_extension_days}日，本次最多延长{left}日"
            )
        )
    reason = inputs.text(
        raw.get("reason"), "reason", "延长理由", errors, max_length=inputs.LONG_TEXT, required=True
    )
    approved = inputs.day(raw.get("approved_on"), "approved_on", "批准日期", errors, future=False)
    approved = approved or timezone.localdate()
    if not errors and approved < current.starts_on:
        errors.append(
            FieldError("approved_on", "too_early", f"批准日期不能早于查封扣押之日（{current.starts_on}）")
        )
    if errors:
        raise ValidationFailed(errors)
    assert days is not None
    ends = current.ends_on + dt.timedelta(days=days)
    stored, _ = SEIZURES.apply(
        current,
        "extend",
        actor=actor,
        changes={"extended_days": current.extended_days + days, "extension_reason": reason, "ends_on": ends},
        comment=f"延长{days}日至{ends.isoformat()}（{approved.isoformat()}批准）：{reason}",
        expect={"extended_days": current.extended_days},
    )
    return stored


@transaction.atomic
def release(seizure: Seizure, raw: dict[str, Any], *, actor: Any) -> Seizure:
    """解除: `released_on` (default today; not before the decision, not in the future), `items` (which of the things
    sealed or seized; default all of them), `note`."""
    SEIZURES.accept_fields("release", raw)
    current = _locked_seizure(seizure)
    SEIZURES.check(current, "release", actor)
    errors: list[FieldError] = []
    on = inputs.day(raw.get("released_on"), "released_on", "解除日期", errors, future=False)
    on = on or timezone.localdate()
    if not errors and on < current.starts_on:
        errors.append(
            FieldError("released_on", "too_early", f"解除日期不能早于查封扣押之日（{current.starts_on}）")
        )
    wanted = raw.get("items")
    released = list(current.items)
    if wanted not in (None, "", []):
        chosen = _items(wanted, errors)
        unknown = [i for i in chosen if i not in current.items]
        if unknown:
            errors.append(FieldError("items", "not_seized", "不在查封扣押清单中：" + "、".join(unknown)))
        released = chosen
    note = inputs.text(raw.get("note"), "note", "说明", errors, max_length=inputs.LONG_TEXT)
    if errors:
        raise ValidationFailed(errors)
    stored, _ = SEIZURES.apply(
        current,
        "release",
        actor=actor,
        changes={"released_on": on, "released_items": released, "release_note": note},
        comment=f"{on.isoformat()}解除：" + "、".join(released) + (f"（{note}）" if note else ""),
    )
    return stored
