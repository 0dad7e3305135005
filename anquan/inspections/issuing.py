"""The documents an inspection issues (issue #13 items 4, 6 and 7), each through `documents.services.issue` in
the same transaction as its step, so a document that cannot be issued refuses the step and writes nothing:

- completing the inspection issues the 现场检查记录 (from `record.onsite_record_context`; services.transition);
- `take_measures`: the immediate measures taken on site (停止作业, 撤出人员 …) → 现场处理措施决定书;
- `order_rectification`: the non-compliant items to rectify by a deadline → 责令限期整改指令书, and the
  rectification review (复查) due on that deadline (reviews.py records it → 整改复查意见书).

The issuing unit is the inspection's (its department in its region); the actor must belong to it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from anquan.core import audit, inputs
from anquan.core.errors import FieldError, ValidationFailed
from anquan.core.models import AuditAction
from anquan.documents.choices import DocumentKind
from anquan.documents.models import Document
from anquan.documents.services import for_subject, issue, party_of, scoped
from anquan.orgs.units import Unit

from .choices import ON_SITE_MEASURES, Result
from .models import Inspection, InspectionItem, RectificationReview, ReviewItem
from .record import onsite_record_context
from .workflow import INSPECTIONS, REVIEWS

# 安全生产法（2021）第六十五条第一款: (二) 违法行为当场纠正或限期改正, (三) 事故隐患责令立即排除; 重大事故隐患
# 排除前或排除过程中无法保证安全的, 责令撤出作业人员, 暂时停产停业或停止使用相关设施、设备
ORDER_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（二）项、第（三）项"
MEASURES_BASIS = "《中华人民共和国安全生产法》第六十五条第一款第（三）项"
BASIS_MAX = 500
FACTS_MAX = 4000
OTHER_MAX = 500
MAX_DEADLINE_DAYS = 366  # an order's deadline within a year (a working habit, not a legal figure)


def unit(inspection: Inspection) -> Unit:
    """The inspection's unit (Inspection.unit); kept for seizure.py, which reads it here."""
    return inspection.unit


def party(inspection: Inspection) -> dict[str, str]:
    """The inspected enterprise as the documents' party; a registry record lacking what a document must state
    refuses the step with the fields to complete (never a document with a hole in it)."""
    block = party_of(inspection.enterprise)
    missing = [
        label
        for key, label in (("address", "地址"), ("legal_representative", "法定代表人"))
        if not block[key]
    ]
    if missing:
        raise ValidationFailed(
            [
                FieldError(
                    "enterprise",
                    "incomplete",
                    f"企业档案缺少{'、'.join(missing)}，不能签发执法文书，请先在企业档案中补充",
                )
            ]
        )
    return block


def documents_of(inspection: Inspection, user: Any | None = None) -> list[Document]:
    """The documents the inspection issued, oldest first (its page, its phone card and the API list them)."""
    return list(for_subject(inspection, user))


def documents_for(inspections: list[Inspection], user: Any) -> list[Document]:
    """The documents of several inspections in one query (the phone cards), oldest first."""
    if not inspections:
        return []
    kind = ContentType.objects.get_for_model(Inspection)
    ids = [i.pk for i in inspections]
    return list(scoped(user).filter(subject_type=kind, subject_id__in=ids).order_by("issued_at", "id"))


# --- 现场检查记录 --------------------------------------------------------------------------------------


def _findings(r: Any) -> list[str]:
    c = r["counts"]
    lines = [
        (f"按《{r['template']}》" if r["template"] else "")
        + f"检查{c['total']}项：符合{c['compliant']}项，不符合{c['noncompliant']}项，不适用{c['not_applicable']}项。"
    ]
    for f in r["findings"]:
        grade = "重大事故隐患" if f["major"] else "事故隐患"
        lines.append(
            f"第{f['no']}项“{f['text']}”不符合要求"
            + (f"：{f['note']}" if f["note"] else "")
            + f"（{grade}，编号{f['hazard_number']}）"
        )
    if not r["findings"]:
        lines.append("未发现事故隐患。")
    return lines


def issue_record(inspection: Inspection, *, actor: Any, now: dt.datetime) -> Document:
    """The 现场检查记录 of a completed inspection (called inside the completing transaction)."""
    r = onsite_record_context(inspection)
    block = party(inspection)
    context = {
        "party": block,
        "place": block["address"],
        "started_at": r["started_at"] or now,
        "ended_at": r["done_at"] or now,
        "inspectors": [{"name": i["name"], "certificate": i["certificate_no"]} for i in r["inspectors"]],
        "findings": _findings(r),
        "signatory": r["signatory_name"],
    }
    return issue(DocumentKind.INSPECTION_RECORD, inspection.unit, inspection, context, actor, now=now)


# --- 现场处理措施决定书 -------------------------------------------------------------------------------


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update()
        .select_related("enterprise", "department", "region")
        .get(pk=inspection.pk)
    )


def _bad_items(inspection: Inspection) -> list[InspectionItem]:
    return list(
        inspection.items.filter(result=Result.NONCOMPLIANT).select_related("hazard").order_by("order", "id")
    )


def _problem(item: InspectionItem) -> str:
    text = item.text + (f"：{item.note}" if item.note else "")
    if item.basis:
        text += f"（不符合{item.basis}）"
    return text


def _deadline(value: Any, errors: list[FieldError], today: dt.date, *, label: str) -> dt.date | None:
    day = inputs.day(value, "deadline", label, errors)
    if day is None:
        return None
    if day < today:
        errors.append(FieldError("deadline", "past", f"{label}不能早于今天"))
    elif (day - today).days > MAX_DEADLINE_DAYS:
        errors.append(FieldError("deadline", "too_far", f"{label}不能晚于一年以后"))
    return day


@transaction.atomic
def take_measures(
    inspection: Inspection, raw: dict[str, Any], *, actor: Any, now: dt.datetime | None = None
) -> Document:
    """raw: measures (a list of ON_SITE_MEASURES), other (more measures in words), facts (default: the
    non-compliant items), legal_basis (default MEASURES_BASIS), deadline (optional, today or later)."""
    now = now or timezone.now()
    INSPECTIONS.accept_fields("take_measures", raw)
    insp = _locked(inspection)
    INSPECTIONS.check(insp, "take_measures", actor)
    errors: list[FieldError] = []
    chosen = raw.get("measures") or []
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    unknown = [m for m in chosen if m not in ON_SITE_MEASURES]
    if unknown:
        errors.append(
            FieldError(
                "measures", "invalid_choice", "现场处理措施须从所列措施中选择，其他措施请填在“其他措施”"
            )
        )
    other = inputs.text(raw.get("other"), "other", "其他措施", errors, max_length=OTHER_MAX)
    measures = [m for m in ON_SITE_MEASURES if m in chosen] + ([other] if other else [])
    if not measures and not unknown:
        errors.append(FieldError("measures", "required", "请选择或填写现场处理措施"))
    facts = inputs.text(raw.get("facts"), "facts", "发现的问题", errors, max_length=FACTS_MAX)
    facts = facts or "\n".join(f"{n}. {_problem(i)}" for n, i in enumerate(_bad_items(insp), start=1))
    if not facts and not any(e.field == "facts" for e in errors):
        errors.append(FieldError("facts", "required", "请填写发现的问题（本次检查尚无不符合项）"))
    basis = inputs.text(raw.get("legal_basis"), "legal_basis", "法律依据", errors, max_length=BASIS_MAX)
    deadline = _deadline(raw.get("deadline"), errors, timezone.localtime(now).date(), label="期限")
    if errors:
        raise ValidationFailed(errors)
    context = {
        "party": party(insp),
        "facts": facts,
        "legal_basis": basis or MEASURES_BASIS,
        "measures": "\n".join(f"{n}. {m}" for n, m in enumerate(measures, start=1)),
        "deadline": deadline,
    }
    document = issue(DocumentKind.ON_SITE_MEASURES, insp.unit, insp, context, actor, now=now)
    INSPECTIONS.apply(
        insp,
        "take_measures",
        actor=actor,
        comment=f"{document.number}：" + "；".join(measures),
        data={"document": document.pk, "number": document.number},
        now=now,
    )
    return document


# --- 责令限期整改指令书 and its review ----------------------------------------------------------------


def default_deadline(items: list[InspectionItem], today: dt.date) -> dt.date | None:
    """The latest rectification deadline of the items' hazards still ahead (set when each was assigned)."""
    days = [i.hazard.deadline for i in items if i.hazard is not None and i.hazard.deadline]
    ahead = [d for d in days if d >= today]
    return max(ahead) if ahead else None


def orderable(inspection: Inspection) -> list[InspectionItem]:
    """The non-compliant items no order has named yet."""
    return [i for i in _bad_items(inspection) if not i.review_items.exists()]


def _ordered_items(insp: Inspection, raw: Any, errors: list[FieldError]) -> list[InspectionItem]:
    open_items = orderable(insp)
    if raw in (None, "", []):
        if not open_items:
            errors.append(FieldError("items", "required", "本次检查没有尚未责令整改的不符合项"))
        return open_items
    values = raw if isinstance(raw, list | tuple) else [raw]
    wanted = {int(v) for v in values if str(v).isdigit() and len(str(v)) < 10}
    picked = [i for i in open_items if i.pk in wanted]
    if len(picked) != len(values):
        errors.append(
            FieldError("items", "invalid_choice", "只能对本次检查中尚未责令整改的不符合项下达整改指令")
        )
    return picked


@transaction.atomic
def order_rectification(
    inspection: Inspection, raw: dict[str, Any], *, actor: Any, now: dt.datetime | None = None
) -> RectificationReview:
    """raw: items (ids of non-compliant items; default all not yet ordered), legal_basis (default
    ORDER_BASIS), deadline (today or later; default: the latest deadline of their hazards). Issues the
    责令限期整改指令书 and creates the review due on its deadline."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    INSPECTIONS.accept_fields("order_rectification", raw)
    insp = _locked(inspection)
    INSPECTIONS.check(insp, "order_rectification", actor)
    errors: list[FieldError] = []
    items = _ordered_items(insp, raw.get("items"), errors)
    basis = inputs.text(raw.get("legal_basis"), "legal_basis", "法律依据", errors, max_length=BASIS_MAX)
    deadline = _deadline(raw.get("deadline"), errors, today, label="整改期限")
    if raw.get("deadline") in (None, "") and items:
        deadline = default_deadline(items, today)
        if deadline is None:
            errors.append(FieldError("deadline", "required", "请填写整改期限（所列隐患尚无整改期限可用）"))
    if errors:
        raise ValidationFailed(errors)
    assert deadline is not None
    context = {
        "party": party(insp),
        "problems": [_problem(i) for i in items],
        "legal_basis": basis or ORDER_BASIS,
        "deadline": deadline,
    }
    document = issue(DocumentKind.RECTIFICATION_ORDER, insp.unit, insp, context, actor, now=now)
    INSPECTIONS.apply(
        insp,
        "order_rectification",
        actor=actor,
        comment=f"{document.number}，整改期限{deadline:%Y-%m-%d}，{len(items)}项",
        data={"document": document.pk, "number": document.number, "items": [i.pk for i in items]},
        now=now,
    )
    review = RectificationReview.objects.create(
        inspection=insp, order=document, due_on=deadline, created_at=now, updated_at=now
    )
    ReviewItem.objects.bulk_create(ReviewItem(review=review, item=i) for i in items)
    audit.record(
        AuditAction.CREATE,
        review,
        actor=actor,
        after=audit.snapshot(review) | {"items": [i.pk for i in items]},
        comment=f"责令限期整改{document.number}：{deadline:%Y-%m-%d}复查",
    )
    REVIEWS.record_event(
        review, "create", actor=actor, from_status="", data={"order": document.number}, now=now
    )
    return review
