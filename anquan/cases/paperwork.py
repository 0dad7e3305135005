"""The official documents a case's steps issue (anquan.documents, ADR 0023), in the step's own transaction:

- 批准立案 → 立案审批表; 告知 → 行政处罚告知书, and 听证告知书 when the proposed penalty carries the right to a hearing;
- 决定 → 行政处罚决定书 (the parties, each measure with its article and amount, the payment days, the remedies);
- 移送公安机关 (referral `transfer`) → 案件移送书; 批准结案 → 结案审批表.

A document that cannot be issued (the enterprise's registry lacks its address or legal representative, the actor
may not sign for the unit …) refuses the step: the caller runs inside `actions.transition` /
`related.move_referral`, so nothing of the step is written. The party block comes from the enterprise registry;
figures (statement, hearing request and payment days) from the procedure version stored on the case at 立案.

强制措施决定书 is not issued here: a case's measures are penalties (责令停产停业整顿 and 关闭 are stated in the
决定书), not the coercive measures of Safety Law art. 65(4) (查封、扣押), which are taken on site."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from anquan.core.errors import FieldError, ValidationFailed
from anquan.documents import services as documents
from anquan.documents.choices import DocumentKind
from anquan.documents.models import Document
from anquan.documents.render import chinese_date

from . import actions, measures, rules
from .choices import Action, MeasureKind, Source
from .models import EnforcementCase, Referral

SAFETY_LAW = "《中华人民共和国安全生产法》"
REFERRAL_BASIS = "《行政执法机关移送涉嫌犯罪案件的规定》（国务院令第310号）第三条"
FILING_OPINION = "经初步核实，当事人涉嫌安全生产违法行为，符合立案条件，建议立案调查。"


def _unit(case: EnforcementCase) -> documents.Unit:
    return documents.Unit(case.department, case.unit_region)


def _officers(case: EnforcementCase, on: dt.date) -> list[dict[str, str]]:
    """The investigators with their enforcement certificate valid on `on` (执法证号), by username."""
    from anquan.accounts.models import EnforcementCertificate

    people = list(case.investigators.order_by("username"))
    certs = {
        c.user_id: c.number
        for c in EnforcementCertificate.objects.filter(
            user__in=people, valid_from__lte=on, valid_until__gte=on
        ).order_by("valid_from")
    }
    return [
        {"name": p.get_full_name() or p.get_username(), "certificate": certs.get(p.pk, "")} for p in people
    ]


def _articles(case: EnforcementCase, on: dt.date) -> dict[str, rules.PenaltyArticle]:
    return rules.articles_in_force(on, case.region_code)[1]


def _cited(items: list[dict[str, Any]], articles: dict[str, rules.PenaltyArticle]) -> str:
    """The articles the measures cite, in order, once each: 《中华人民共和国安全生产法》第九十九条（逾期未改正）."""
    seen: list[str] = []
    for m in items:
        article = articles.get(str(m.get("article") or ""))
        if article is not None and article.article not in seen:
            seen.append(article.article)
    return SAFETY_LAW + "、".join(seen) if seen else SAFETY_LAW + "有关规定"


def penalty_text(items: list[dict[str, Any]], articles: dict[str, rules.PenaltyArticle]) -> str:
    """Each measure as the decision states it: 依据第九十九条（逾期未改正），对单位处罚款人民币8万元；责令停产停业整顿（30日）."""
    labels = dict(MeasureKind.choices)
    parts = []
    for m in items:
        article = articles.get(str(m.get("article") or ""))
        basis = f"依据{SAFETY_LAW}{article.article}，" if article is not None else ""
        if m.get("kind") == MeasureKind.FINE.value:
            whom = (m.get("person") or "个人") if m.get("target") == "person" else "单位"
            amount = measures.yuan(Decimal(str(m.get("amount_yuan") or 0)))
            text = f"{basis}对{whom}处罚款人民币{amount}"
        else:
            text = f"{basis}{labels.get(str(m.get('kind')), m.get('kind'))}"
        if m.get("note"):
            text += f"（{m['note']}）"
        parts.append(text)
    return "；".join(parts)


def _party(case: EnforcementCase) -> dict[str, str]:
    return documents.party_of(case.enterprise)


def _violated(case: EnforcementCase) -> str:
    return case.violated or f"{SAFETY_LAW}有关安全生产的规定"


def _issue(kind: str, case: EnforcementCase, subject: Any, context: dict[str, Any], actor: Any) -> Document:
    """Issue, naming the registry as what to complete when the party block is incomplete."""
    try:
        return documents.issue(kind, _unit(case), subject, context, actor, enterprise=case.enterprise)
    except ValidationFailed as exc:
        title = DocumentKind(kind).label
        hint = (
            "（请先在企业信息中补全）" if any(e.field.startswith("context.party") for e in exc.errors) else ""
        )
        raise ValidationFailed(
            [FieldError(e.field, e.code, f"无法生成{title}：{e.message}{hint}") for e in exc.errors]
        ) from None


def _filing(case: EnforcementCase, actor: Any) -> list[Document]:
    assert case.opened_on is not None
    source = str(Source(case.source).label)
    if case.hazard is not None:
        source += f"（隐患{case.hazard.label}）"
    if case.source_note:
        source += f"：{case.source_note}"
    handlers = _officers(case, case.opened_on)
    if len(handlers) < 2:
        raise ValidationFailed(
            [FieldError("investigators", "too_few", "立案审批表须写明2名以上承办人，请先指定办案人员")]
        )
    context = {
        "party": _party(case),
        "issued_on": case.opened_on,
        "case_source": source[:200],
        "facts": case.facts[:4000],
        "legal_basis": _violated(case),
        "handlers": handlers,
        "opinion": FILING_OPINION,
    }
    return [_issue(DocumentKind.CASE_FILING, case, case, context, actor)]


def _notices(case: EnforcementCase, actor: Any) -> list[Document]:
    assert case.notified_on is not None
    items = case.proposed_measures or []
    articles = _articles(case, case.notified_on)
    end = actions.statement_window_end(case)
    context: dict[str, Any] = {
        "party": _party(case),
        "issued_on": case.notified_on,
        "facts": case.facts[:4000],
        "violated": _violated(case),
        "legal_basis": _cited(items, articles),
        "penalty": penalty_text(items, articles)[:1000],
        "amount_yuan": (measures.fine_total(measures.parse(items)) if items else 0) or None,
        "statement_days": max(1, (end - case.notified_on).days) if end else 3,
    }
    out = [_issue(DocumentKind.PENALTY_NOTICE, case, case, context, actor)]
    if actions.hearing_right(case):
        days = actions.figures(case).hearing_request_days
        out.append(
            _issue(DocumentKind.HEARING_NOTICE, case, case, context | {"hearing_request_days": days}, actor)
        )
    return out


def _decision(case: EnforcementCase, actor: Any) -> list[Document]:
    assert case.decided_on is not None
    items = case.measures or []
    articles = _articles(case, case.decided_on)
    region = case.unit_region.name
    context = {
        "party": _party(case),
        "issued_on": case.decided_on,
        "facts": case.facts[:4000],
        "evidence": [case.investigation_report[:200]] if case.investigation_report else [],
        "violated": _violated(case),
        "legal_basis": _cited(items, articles),
        "penalty": penalty_text(items, articles)[:1000],
        "amount_yuan": case.fine_total_yuan or None,
        "payment_days": actions.figures(case).payment_days,
        "reconsideration_to": f"{region}人民政府",
        "litigation_court": f"{region}人民法院",
    }
    return [_issue(DocumentKind.PENALTY_DECISION, case, case, context, actor)]


def _number_of(case: EnforcementCase, kind: str) -> str:
    doc = documents.for_subject(case).filter(kind=kind, voided_at__isnull=True).last()
    return doc.number if doc is not None else ""


def _execution(case: EnforcementCase) -> str:
    lines = []
    for p in case.payments.all():
        line = f"{chinese_date(p.paid_on)}缴纳罚款{measures.yuan(p.amount_yuan)}"
        if p.days_late:
            line += f"（逾期{p.days_late}日，加处罚款{measures.yuan(p.surcharge_yuan)}）"
        lines.append(line)
    if case.court_applied_on:
        lines.append(f"{chinese_date(case.court_applied_on)}申请人民法院强制执行")
    if case.fine_total_yuan and case.paid_yuan >= case.fine_total_yuan:
        lines.append("罚款已缴清")
    return "；".join(lines) or "处罚决定已执行完毕"


def _closing(case: EnforcementCase, actor: Any) -> list[Document]:
    assert case.closed_on is not None
    articles = _articles(case, case.decided_on or case.closed_on)
    context = {
        "party": _party(case),
        "issued_on": case.closed_on,
        "case_number": _number_of(case, DocumentKind.CASE_FILING) or case.number,
        "decision_number": _number_of(case, DocumentKind.PENALTY_DECISION),
        "penalty": penalty_text(case.measures or [], articles)[:1000] or "不予行政处罚",
        "amount_yuan": case.fine_total_yuan or None,
        "execution": _execution(case)[:2000],
        "handlers": _officers(case, case.closed_on),
        "closed_on": case.closed_on,
    }
    return [_issue(DocumentKind.CASE_CLOSING, case, case, context, actor)]


BY_STEP = {
    Action.APPROVE: _filing,
    Action.NOTIFY: _notices,
    Action.DECIDE: _decision,
    Action.APPROVE_CLOSE: _closing,
}


def issue_for_step(case: EnforcementCase, action: str, actor: Any) -> list[Document]:
    """The documents `action` (just applied to `case`) produces; none for a step that produces none."""
    make = BY_STEP.get(Action(action))
    return make(case, actor) if make is not None else []


def issue_referral(referral: Referral, actor: Any) -> Document:
    """案件移送书, when the referral is transferred to the police (`referral.police_unit`)."""
    case = EnforcementCase.objects.select_related("enterprise", "department", "unit_region").get(
        pk=referral.case_id
    )
    facts = referral.reason
    if referral.persons:
        facts += f"（涉嫌犯罪人员：{'、'.join(referral.persons)}，共{referral.person_count}人）"
    on = timezone.localtime(referral.transferred_at or timezone.now()).date()
    context = {
        "party": _party(case),
        "issued_on": on,
        "receiver": referral.police_unit,
        "facts": facts[:4000],
        "suspected_crime": referral.suspected_crime,
        "legal_basis": REFERRAL_BASIS,
        "attachments": ["涉嫌犯罪案件情况的调查报告", "涉案物品清单", "有关检验报告或者鉴定结论"],
    }
    return _issue(DocumentKind.CASE_REFERRAL, case, referral, context, actor)


def listed(case: EnforcementCase, user: Any) -> list[dict[str, Any]]:
    """The documents of the case and of its referrals, oldest first, as the page and the API list them."""
    docs = list(documents.for_subject(case, user))
    for referral in case.referrals.all():
        docs.extend(documents.for_subject(referral, user))
    docs.sort(key=lambda d: (d.issued_at, d.pk))
    return [
        {
            "id": d.pk,
            "kind": d.kind,
            "kind_label": str(d.get_kind_display()),
            "number": d.number,
            "status": d.status,
            "issued_at": d.issued_at,
            "docx_url": f"/api/v1/documents/{d.pk}/download?format=docx",
            "pdf_url": f"/api/v1/documents/{d.pk}/download?format=pdf",
            "page_docx_url": reverse("documents:download", args=[d.pk, "docx"]),
            "page_pdf_url": reverse("documents:download", args=[d.pk, "pdf"]),
        }
        for d in docs
    ]
