"""查封、扣押 on site (安全生产法第六十五条第一款第（四）项): the facilities, equipment or goods that do not meet the
standards, or the place of illegal work, sealed or seized by the inspection's inspectors → 强制措施决定书.

It is a coercive measure, not a penalty, so it is an inspection step like the on-site measures (issuing.py), in
the same transaction as its document. Its period is the rule version in force (rules.py: 30 days under Order 15;
Order 18's text is not held), asked in days and refused beyond it. Extension (经负责人批准) and release are not
recorded yet."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from anquan.core import inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.documents.choices import DocumentKind
from anquan.documents.models import Document
from anquan.documents.services import issue
from anquan.rules.models import RuleVersion
from anquan.rules.services import in_force

from .choices import SEIZURE_MEASURES
from .issuing import BASIS_MAX, FACTS_MAX, _bad_items, _locked, _problem, party, unit
from .models import Inspection
from .rules import KIND, SeizureFigures
from .workflow import INSPECTIONS

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
    INSPECTIONS.apply(
        insp,
        "seize",
        actor=actor,
        comment=f"{document.number}：{measure}" + "、".join(items),
        data={"document": document.pk, "number": document.number, "rule_version": version.id},
        now=now,
    )
    return document
