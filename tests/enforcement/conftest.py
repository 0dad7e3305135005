"""Enforcement made through the apps' own services, as users make it: completed inspections (with the hazards their
non-compliant items report), official documents, cases decided with their measures, referrals to the police,
dishonesty listings and an approved yearly plan. Used by the statistics and publicity tests."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anquan.cases import actions as case_actions
from anquan.cases import related
from anquan.cases import services as case_services
from anquan.documents import services as documents
from anquan.documents.choices import DocumentKind
from anquan.inspectionplans import services as plan_services
from anquan.inspectionplans import workflow as plan_workflow
from anquan.inspections import services as inspections

from ..conftest import PASSWORD, make_enterprise
from ..inspections.loopdata import registered

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


@pytest.fixture
def team(world):
    """The world with a second inspector of 濂溪区应急管理局 (an inspection and a case need two)."""
    from anquan.accounts.services import create_user

    world.users["inspector2"] = create_user(
        actor=None,
        username="inspector2",
        role="inspector",
        password=PASSWORD,
        region_code="360402",
        department_name="应急管理局",
        full_name="执法员 王强",
    )
    # what every document states of its party (an inspection or a case step refuses to issue one without it)
    registered(world.chem_t1, world.build_t1, world.chem_t2, world.chem_xiushui)
    return world


def another_chemical_enterprise(world):
    enterprise = make_enterprise(world.t1, "hazardous_chemicals", "濂溪新材料有限公司", "360402", 5)
    registered(enterprise)
    return enterprise


def inspect(world, enterprise, noncompliant: int = 0):
    """A checklist inspection of `enterprise` by both inspectors, walked and completed today; its first
    `noncompliant` items are found not compliant (each reported as a hazard of source inspection)."""
    inspector = world.users["inspector"]
    inspection = inspections.create(
        {
            "enterprise": enterprise.uscc,
            "kind": "plan",
            "planned_on": timezone.localdate().isoformat(),
            "inspectors": ["inspector", "inspector2"],
        },
        actor=inspector,
    )
    inspections.transition(inspection, "start", actor=inspector)
    for n, item in enumerate(inspection.items.order_by("order", "id")):
        bad = n < noncompliant
        inspections.record_result(
            inspection,
            {
                "item": item.pk,
                "result": "noncompliant" if bad else "compliant",
                "note": "现场发现问题" if bad else "",
            },
            actor=inspector,
        )
    inspections.set_signature(inspection, SimpleUploadedFile("sign.png", PNG, "image/png"), actor=inspector)
    return inspections.transition(inspection, "complete", actor=inspector, signatory_name="企业安全员")


def party(enterprise) -> dict:
    """The party block from the registry, completed where the test registry leaves it blank (as an inspector
    does on the form)."""
    block = documents.party_of(enterprise)
    return block | {
        "address": block["address"] or "九江市濂溪区十里大道1号",
        "legal_representative": block["legal_representative"] or "赵法人",
    }


def rectification_order(world, inspection):
    inspector = world.users["inspector"]
    return documents.issue(
        DocumentKind.RECTIFICATION_ORDER,
        documents.unit_of(inspector),
        inspection,
        {
            "party": party(inspection.enterprise),
            "problems": ["储罐区未设置可燃气体报警装置"],
            "legal_basis": "《安全生产法》第六十五条第（三）项",
            "deadline": (timezone.localdate() + dt.timedelta(days=15)).isoformat(),
        },
        inspector,
    )


def decided(world, enterprise, measures: list[dict], on: dt.date, parties: list[dict] | None = None):
    """A case opened, investigated, notified (the party waiving its statement in writing), discussed and decided
    on `on` with `measures`, by the roles the law gives each step."""
    inspector, boss = world.users["inspector"], world.users["emergency_supervisor"]
    case = case_services.open_case(
        {
            "enterprise": enterprise.uscc,
            "source": "inspection",
            "facts": "重大危险源未按规定进行定期检测，逾期未改正",
            "parties": parties or [],
            "investigators": ["inspector", "inspector2"],
            "applied_on": on,
        },
        actor=inspector,
    )
    case = case_actions.transition(case, "approve", actor=boss, opened_on=on)
    case = case_actions.transition(case, "finish_investigation", actor=inspector, report="违法事实清楚")
    case = case_actions.transition(case, "notify", actor=boss, notified_on=on, measures=measures)
    case = case_actions.transition(
        case, "statement", actor=inspector, statement_on=on, waived=True, waiver_note="当事人书面放弃陈述申辩"
    )
    case = case_actions.transition(case, "discuss", actor=boss, discussed_on=on, note="集体讨论同意")
    return case_actions.transition(case, "decide", actor=boss, decided_on=on, measures=measures)


def opened_only(world, enterprise, on: dt.date):
    case = case_services.open_case(
        {
            "enterprise": enterprise.uscc,
            "source": "tip_off",
            "facts": "举报：无证储存危险化学品",
            "investigators": ["inspector", "inspector2"],
            "applied_on": on,
        },
        actor=world.users["inspector"],
    )
    return case_actions.transition(case, "approve", actor=world.users["emergency_supervisor"], opened_on=on)


def decision_document(world, case):
    """The case's 行政处罚决定书, issued by its decide step."""
    return documents.for_subject(case).get(kind=DocumentKind.PENALTY_DECISION, status="issued")


def referred(world, case, persons: list[str], transfer: bool = True):
    """A referral of `persons` to the police: proposed by both inspectors, approved by the head, transferred."""
    inspector, boss = world.users["inspector"], world.users["emergency_supervisor"]
    raw = {
        "officers": ["inspector", "inspector2"],
        "suspected_crime": "重大责任事故罪",
        "reason": "关闭监控报警设备",
        "persons": persons,
    }
    referral = related.propose_referral(case, raw, actor=inspector)
    referral = related.move_referral(referral, "approve", actor=boss)
    if transfer:
        referral = related.move_referral(referral, "transfer", actor=inspector, police_unit="濂溪公安分局")
    return referral


def listed(world, case):
    return related.list_enterprise(
        case, {"condition": "concealed", "reason": "瞒报事故"}, actor=world.users["emergency_supervisor"]
    )


def approved_plan(world):
    """The 濂溪区应急管理局 plan of this year, approved: key enterprises chem_t1 (4 a year) and chem_t2 (2), from
    the targeting data of tests/inspectionplans/conftest.py."""
    from ..inspectionplans.conftest import seed

    seed(world)
    plan = plan_services.create_plan(
        {"year": timezone.localdate().year, "inspectors": 5}, actor=world.users["inspector"]
    )
    plan_services.accept_all(plan, actor=world.users["inspector"])
    plan = plan_workflow.transition(plan, "submit", actor=world.users["inspector"])
    return plan_workflow.transition(plan, "approve", actor=world.users["emergency_supervisor"])


def fine(article: str, yuan: str, **extra) -> dict:
    return {"kind": "fine", "article": article, "amount_yuan": Decimal(yuan), **extra}
