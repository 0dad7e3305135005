"""Issuing each kind of document through the service: the number, the stored .docx parsed back, the hash, the
refusals (bad context in Chinese naming the field, a role that may not issue, an enterprise out of scope)."""

from __future__ import annotations

import hashlib

import pytest
from django.http import Http404

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.documents import services
from anquan.documents.choices import DocumentKind
from anquan.documents.models import Document, DocumentNumberCounter, Immutable

from .conftest import ADDRESS, ARTICLE, LEGAL_REP, sample, text_of

pytestmark = pytest.mark.django_db

YEAR = 2026


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_kind_is_generated_with_its_number_parties_and_facts(world, unit, subject, kind):
    inspector = world.users["inspector"]
    document = services.issue(kind, unit, subject, sample(kind, world.chem_t1), inspector)
    document.refresh_from_db()
    with document.file.open("rb") as handle:
        data = handle.read()
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    text = text_of(data)
    # no Jinja tag nor placeholder left
    assert "{{" not in text and "{%" not in text and "None" not in text
    assert document.number in text
    assert "濂溪区应急管理局" in text and str(DocumentKind(kind).label) in text
    assert world.chem_t1.name in text
    if kind != DocumentKind.CASE_REFERRAL:
        assert ADDRESS in text and LEGAL_REP in text
    assert "2026年11月24日" in text  # the date
    context = sample(kind, world.chem_t1)
    if "legal_basis" in context:
        assert context["legal_basis"] in text
    if "amount_yuan" in context:
        assert "30000.00元" in text and "人民币叁万元整" in text
    if "deadline" in context:
        assert ("2026年12月15日" if kind == DocumentKind.RECTIFICATION_ORDER else "2026年11月30日") in text
    assert document.subject == subject and document.enterprise == world.chem_t1
    assert AuditEntry.objects.filter(
        model="documents.document", object_id=str(document.pk), action="create"
    ).exists()
    assert list(document.events.values_list("action", flat=True)) == ["issue"]


def test_default_number_pattern_per_unit_kind_and_year(world, unit, subject):
    inspector = world.users["inspector"]
    kind = DocumentKind.RECTIFICATION_ORDER
    first = services.issue(kind, unit, subject, sample(kind, world.chem_t1), inspector)
    second = services.issue(kind, unit, subject, sample(kind, world.chem_t1), inspector)
    other_kind = services.issue(
        DocumentKind.PENALTY_DECISION,
        unit,
        subject,
        sample(DocumentKind.PENALTY_DECISION, world.chem_t1),
        inspector,
    )
    year = first.issued_at.year
    assert first.number == f"（濂溪）应急责改〔{year}〕1号"
    assert second.number == f"（濂溪）应急责改〔{year}〕2号"
    assert other_kind.number == f"（濂溪）应急罚决〔{year}〕1号"  # its own sequence


def test_a_forgotten_article_is_a_field_error_in_chinese_and_takes_no_number(world, unit, subject):
    kind = DocumentKind.PENALTY_DECISION
    context = sample(kind, world.chem_t1)
    del context["legal_basis"]
    context["party"]["legal_representative"] = ""
    with pytest.raises(ValidationFailed) as refused:
        services.issue(kind, unit, subject, context, world.users["inspector"])
    messages = {e.field: e.message for e in refused.value.errors}
    assert messages["context.legal_basis"] == "处罚依据：必填"
    assert messages["context.party.legal_representative"] == "当事人·法定代表人：至少1个字符"
    assert not Document.objects.exists() and not DocumentNumberCounter.objects.exists()


def test_a_failing_template_rolls_the_number_back(world, unit, subject, settings, tmp_path):
    """A province's template with an error: the issue is refused in Chinese and the number is not used up."""
    from docx import Document as Docx

    kind = DocumentKind.RECTIFICATION_ORDER
    broken = Docx()
    broken.add_paragraph("{{ number }} {% if %}")
    broken.save(tmp_path / "rectification_order.docx")
    settings.DOCUMENT_TEMPLATE_DIR = str(tmp_path)
    with pytest.raises(ValidationFailed) as refused:
        services.issue(kind, unit, subject, sample(kind, world.chem_t1), world.users["inspector"])
    assert "文书模板“rectification_order.docx”有误" in refused.value.errors[0].message
    settings.DOCUMENT_TEMPLATE_DIR = None
    document = services.issue(kind, unit, subject, sample(kind, world.chem_t1), world.users["inspector"])
    assert document.seq == 1


def test_a_provinces_template_replaces_the_default(world, unit, subject, settings, tmp_path):
    from docx import Document as Docx

    kind = DocumentKind.RECTIFICATION_ORDER
    own = Docx()
    own.add_paragraph("江西省样式 {{ title }} {{ number }} 期限：{{ deadline }}")
    own.save(tmp_path / "rectification_order.docx")
    settings.DOCUMENT_TEMPLATE_DIR = str(tmp_path)
    document = services.issue(kind, unit, subject, sample(kind, world.chem_t1), world.users["inspector"])
    with document.file.open("rb") as handle:
        text = text_of(handle.read())
    assert text.strip() == f"江西省样式 责令限期整改指令书 {document.number} 期限：2026年12月15日"


def test_who_may_issue(world, subject):
    kind = DocumentKind.RECTIFICATION_ORDER
    context = sample(kind, world.chem_t1)
    with pytest.raises(NotPermitted):  # a county office is no enforcement department
        services.issue(
            kind, services.unit_of(world.users["inspector"]), subject, context, world.users["county_office"]
        )
    with pytest.raises(NotPermitted):  # not in the name of another department
        services.issue(
            kind,
            services.unit_of(world.users["inspector"]),
            subject,
            context,
            world.users["housing_supervisor"],
        )
    with pytest.raises(Http404):  # 修水县's enterprise is outside 濂溪区's inspector
        services.issue(
            kind,
            services.unit_of(world.users["inspector"]),
            world.chem_xiushui,
            sample(kind, world.chem_xiushui),
            world.users["inspector"],
        )
    assert not Document.objects.exists()


def test_an_issued_document_is_never_edited(world, unit, subject):
    kind = DocumentKind.RECTIFICATION_ORDER
    document = services.issue(kind, unit, subject, sample(kind, world.chem_t1), world.users["inspector"])
    document.number = "改过的编号"
    with pytest.raises(Immutable):
        document.save()


def test_listing_per_subject_and_enterprise_in_scope(world, unit, subject):
    inspector = world.users["inspector"]
    kind = DocumentKind.RECTIFICATION_ORDER
    a = services.issue(kind, unit, subject, sample(kind, world.chem_t1), inspector)
    b = services.issue(
        DocumentKind.REVIEW_OPINION,
        unit,
        subject,
        sample(DocumentKind.REVIEW_OPINION, world.chem_t1),
        inspector,
    )
    assert list(services.for_subject(subject)) == [a, b]
    assert list(services.for_enterprise(world.chem_t1, world.users["enterprise_manager"])) == [b, a]
    assert list(services.for_enterprise(world.chem_t1, world.users["housing_supervisor"])) == []
    assert list(services.for_enterprise(world.chem_t1, world.users["county_office_b"])) == []


def test_the_article_reaches_the_printed_decision(world, unit, subject):
    kind = DocumentKind.PENALTY_DECISION
    document = services.issue(kind, unit, subject, sample(kind, world.chem_t1), world.users["inspector"])
    with document.file.open("rb") as handle:
        text = text_of(handle.read())
    assert f"依据{ARTICLE}的规定，决定给予罚款的行政处罚" in text
    assert "收到本决定书之日起15日内缴至九江银行濂溪支行" in text


def test_the_province_edits_the_numbering_rule_from_a_date(world, unit, subject):
    """documents.numbering is rule data: a province office adds its own version (audited); documents issued from
    that date take the new pattern, short name and padding, and the issue event names the version used."""
    import datetime as dt

    from django.utils import timezone

    from anquan.documents.rules import KEY, NumberingRules
    from anquan.rules import services as rules

    kind = DocumentKind.RECTIFICATION_ORDER
    inspector = world.users["inspector"]
    values = NumberingRules.model_validate({}).model_dump()
    bad = {**values, "pattern": "（{简称}）{部门}{代字}〔{年度}〕号"}
    with pytest.raises(ValidationFailed) as refused:
        rules.add_version(
            world.users["province_office"],
            KEY,
            effective_from=dt.date(2026, 1, 1),
            values=bad,
            source="江西省文书样式",
            verified="verified",
            region_code="360000",
        )
    assert "编号格式必须包含 {年度} 和 {序号}" in refused.value.errors[0].message
    version = rules.add_version(
        world.users["province_office"],
        KEY,
        effective_from=dt.date(2026, 1, 1),
        values={**values, "seq_width": 3, "unit_names": "360402=浔濂"},
        source="江西省文书样式",
        verified="verified",
        region_code="360000",
    )
    now = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    document = services.issue(kind, unit, subject, sample(kind, world.chem_t1), inspector, now=now)
    assert document.number == "（浔濂）应急责改〔2026〕001号"
    assert document.events.get(action="issue").data["rule_version"] == version.pk
    before = services.issue(
        kind,
        unit,
        subject,
        sample(kind, world.chem_t1),
        inspector,
        now=timezone.make_aware(dt.datetime(2025, 12, 30, 9, 0)),
    )
    assert (
        before.number == "（濂溪）应急责改〔2025〕1号"
    )  # the version in force then; its own year's sequence


def test_the_list_refuses_a_filter_out_of_range_under_its_field_never_a_500(world):
    from tests.conftest import login

    client = login(world.users["inspector"])
    # an id beyond any database integer: was passed to the query as it was
    assert client.get("/documents/?enterprise=99999999999999999999").status_code == 422
    page = client.get("/documents/?year=1800&enterprise=99999999999999999999")
    assert page.status_code == 422 and "年度应在2000到2100之间" in page.content.decode()
