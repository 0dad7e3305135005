"""A step whose document cannot be issued is refused whole: nothing of the step is written, no number taken."""

import datetime as dt

import pytest

from anquan.cases import actions, services
from anquan.cases.models import CaseEvent
from anquan.core.errors import ValidationFailed
from anquan.documents.models import Document, DocumentNumberCounter
from anquan.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def test_approval_refused_when_the_filing_form_cannot_be_issued(team):
    Enterprise.objects.filter(pk=team.chem_t1.pk).update(legal_representative="", principal_name="")
    case = services.open_case(
        {
            "enterprise": team.chem_t1.uscc,
            "source": "inspection",
            "facts": "未按规定检测重大危险源",
            "investigators": ["inspector", "inspector2"],
            "applied_on": dt.date(2026, 3, 1),
        },
        actor=team.users["inspector"],
    )
    with pytest.raises(ValidationFailed) as refused:
        actions.transition(
            case, "approve", actor=team.users["emergency_supervisor"], opened_on=dt.date(2026, 3, 2)
        )
    error = refused.value.errors[0]
    assert error.field == "context.party.legal_representative"
    assert (
        error.message.startswith("无法生成立案审批表：当事人·法定代表人")
        and "请先在企业信息中补全" in error.message
    )
    case.refresh_from_db()
    assert (case.status, case.opened_on, case.rules_version_id) == ("pending_approval", None, None)
    assert not CaseEvent.objects.filter(case=case, action="approve").exists()
    assert not Document.objects.exists() and not DocumentNumberCounter.objects.filter(last__gt=0).exists()
    # completed in the registry, the same approval goes through and takes number 1
    Enterprise.objects.filter(pk=team.chem_t1.pk).update(legal_representative="王建国")
    case = actions.transition(
        case, "approve", actor=team.users["emergency_supervisor"], opened_on=dt.date(2026, 3, 2)
    )
    (filing,) = Document.objects.all()
    assert filing.kind == "case_filing" and filing.seq == 1 and filing.context["issued_on"] == "2026-03-02"
