"""行政执法公示: the penalty decisions (行政处罚决定) a unit has made, for anyone, without an account — on the page
/public/enforcement/ and in GET /api/v1/public/enforcement-decisions (Administrative Penalty Law art. 48:
decisions with a certain social impact are made public; a decision later changed or withdrawn is taken down).

What is shown: a decided case's 行政处罚决定书 (its number, the party, the facts in short, the legal basis, the
penalty, the date of the decision and the deciding unit). Only cases decided (决定 to 结案) with a decision
document not voided; a voided document is not shown. The names of individuals are masked (张三 → 张某某): the
parties named on the case that are not the enterprise, the persons fined in its measures, the enterprise's legal
representative and principal, and a document addressed to a person. Both the page and the API are throttled per
address (core.public, `THROTTLE`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from anquan.cases.models import EnforcementCase
from anquan.documents.choices import DocumentKind
from anquan.documents.choices import Status as DocumentStatus
from anquan.documents.models import Document
from anquan.regions.inputs import subtree

from .stats import DECIDED

FACTS_SHORT = 120  # characters of the facts shown
# two-character surnames (复姓) kept whole when masking
COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
    "夏侯",
    "长孙",
    "宇文",
    "司徒",
    "端木",
    "申屠",
)


THROTTLE = "public-enforcement"  # the budget the page and the API share (core.public.PublicThrottle)


def mask(name: str) -> str:
    """张三 → 张某某, 欧阳修文 → 欧阳某某: the surname kept, the given name hidden (also its length)."""
    name = name.strip()
    if len(name) < 2:
        return name
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return f"{surname}某某"


def decisions(region: str | None) -> QuerySet[Document]:
    """The decision documents shown, newest first: of cases decided (in `region`'s subtree when given; an unknown
    region shows none), not voided."""
    cases = EnforcementCase.objects.filter(subtree(region), status__in=DECIDED, decided_on__isnull=False)
    return (
        Document.objects.filter(
            kind=DocumentKind.PENALTY_DECISION,
            status=DocumentStatus.ISSUED,
            subject_type=ContentType.objects.get_for_model(EnforcementCase),
            subject_id__in=cases.values("pk"),
        )
        .select_related("enterprise")
        .order_by("-issued_at", "-id")
    )


def _individuals(case: EnforcementCase, document: Document) -> list[str]:
    """The names of people that may appear in what is shown, longest first (a full name before a part of it)."""
    enterprise = document.enterprise
    names = {str(p.get("name") or "") for p in case.parties or [] if isinstance(p, dict)}
    names |= {str(m.get("person") or "") for m in case.measures or [] if isinstance(m, dict)}
    names |= {enterprise.legal_representative or "", enterprise.principal_name or ""}
    party = document.context.get("party") or {}
    names |= {str(party.get("name") or ""), str(party.get("legal_representative") or "")}
    names.discard(enterprise.name)
    return sorted((n.strip() for n in names if len(n.strip()) >= 2), key=len, reverse=True)


def masked(text: str, people: list[str]) -> str:
    for name in people:
        text = text.replace(name, mask(name))
    return text


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= FACTS_SHORT else text[: FACTS_SHORT - 1] + "…"


@dataclass(frozen=True)
class Decision:
    number: str
    party: str
    facts: str
    legal_basis: str
    penalty: str
    decided_on: dt.date
    department: str

    def as_json(self) -> dict[str, Any]:
        return self.__dict__.copy()


def shown(document: Document, case: EnforcementCase) -> Decision:
    context = document.context
    people = _individuals(case, document)
    decided_on = case.decided_on or dt.date.fromisoformat(str(context.get("issued_on")))
    return Decision(
        number=document.number,
        party=masked(str((context.get("party") or {}).get("name") or document.enterprise.name), people),
        facts=masked(_short(str(context.get("facts") or case.facts)), people),
        legal_basis=masked(str(context.get("legal_basis") or ""), people),
        penalty=masked(str(context.get("penalty") or ""), people),
        decided_on=decided_on,
        department=document.unit_name,
    )


def rows(documents: list[Document]) -> list[Decision]:
    """The shown decisions of a page of documents (their cases read in one query)."""
    cases = EnforcementCase.objects.in_bulk([d.subject_id for d in documents])
    return [shown(d, cases[d.subject_id]) for d in documents if d.subject_id in cases]


def public_page(region: str | None, offset: int, limit: int) -> dict[str, Any]:
    """{"items": [...], "count": N} of the API's contract."""
    qs = decisions(region)
    return {
        "items": [d.as_json() for d in rows(list(qs[offset : offset + limit]))],
        "count": qs.count(),
    }
