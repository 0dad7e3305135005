"""Opening a case from an inspection (/cases/new/?inspection=<id>, and `inspection` in the API body): the
enterprise, the investigators (the inspection's inspectors) and its hazards are filled in; an inspection out of
the user's scope answers 404. The case page links the inspection, lists its documents with their downloads and
takes a referral naming the people referred."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.cases.models import EnforcementCase, Referral
from anquan.documents import services as documents
from anquan.inspections import services as inspections

from ..conftest import login

pytestmark = pytest.mark.django_db


def _inspected(team):
    inspector = team.users["inspector"]
    inspection = inspections.create(
        {
            "enterprise": team.chem_t1.uscc,
            "kind": "plan",
            "planned_on": timezone.localdate().isoformat(),
            "inspectors": ["inspector", "inspector2"],
        },
        actor=inspector,
    )
    inspection = inspections.transition(inspection, "start", actor=inspector)
    inspections.record_result(
        inspection,
        {"text": "甲类仓库可燃气体报警器失效", "result": "noncompliant", "note": "报警器无电源"},
        actor=inspector,
    )
    return inspection


def test_a_case_opened_from_an_inspection(team):
    inspection = _inspected(team)
    inspector = login(team.users["inspector"])
    page = inspector.get(f"/cases/new/?inspection={inspection.pk}").content.decode()
    assert 'data-testid="inspection-hazards"' in page and "甲类仓库可燃气体报警器失效" in page
    assert f'value="{team.chem_t1.uscc}" selected' in page
    assert 'value="inspector2" selected' in page and f'name="inspection" value="{inspection.pk}"' in page
    # another department cannot see the inspection: 404, on the page and in the API
    assert (
        login(team.users["housing_supervisor"]).get(f"/cases/new/?inspection={inspection.pk}").status_code
        == 404
    )
    answer = inspector.post(
        "/cases/new/",
        {
            "inspection": inspection.pk,
            "enterprise": team.chem_t1.uscc,
            "source": "inspection",
            "facts": "甲类仓库可燃气体报警器失效，未采取措施消除事故隐患",
            "violated": "《中华人民共和国安全生产法》第四十一条第二款",
            "investigators": ["inspector", "inspector2"],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    case = EnforcementCase.objects.get()
    assert case.inspection == inspection and case.investigator_count == 2
    boss = login(team.users["emergency_supervisor"])
    assert boss.post(f"/cases/{case.pk}/act/", {"action": "approve"}).status_code == 302
    page = boss.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/inspections/{inspection.pk}/"' in page and "第四十一条第二款" in page
    assert 'data-kind="case_filing"' in page and "（濂溪）应急立审〔" in page
    (filing,) = documents.for_subject(case)
    assert f'href="/documents/{filing.pk}/download.docx"' in page


def test_the_api_takes_the_inspection_and_refuses_one_out_of_scope(team, api_token):
    from django.test import Client

    inspection = _inspected(team)
    body = {"inspection": inspection.pk, "facts": "报警器失效", "investigators": ["inspector", "inspector2"]}

    def post(who):
        return Client().post(
            "/api/v1/enforcement-cases", body, content_type="application/json", **api_token(who)
        )

    answer = post("inspector")
    assert answer.status_code == 201, answer.content
    case = answer.json()
    assert case["inspection"] == inspection.pk and case["enterprise"] == team.chem_t1.uscc
    assert case["source"] == "inspection"
    assert post("housing_supervisor").status_code == 404  # another department's inspection


def test_a_referral_proposed_on_the_page_names_the_people(team):
    from .conftest import opened

    case = opened(team, timezone.localdate() - dt.timedelta(days=10))
    inspector = login(team.users["inspector"])
    form = {
        "suspected_crime": "危险作业罪",
        "reason": "关闭报警设备",
        "officers": ["inspector", "inspector2"],
    }
    answer = inspector.post(f"/cases/{case.pk}/refer/", form)
    assert answer.status_code == 422 and "请填写移送的涉嫌犯罪人员姓名" in answer.content.decode()
    answer = inspector.post(f"/cases/{case.pk}/refer/", form | {"persons": "张三、李四"})
    assert answer.status_code == 302
    referral = Referral.objects.get()
    assert (referral.persons, referral.person_count) == (["张三", "李四"], 2)
    boss = login(team.users["emergency_supervisor"])
    page = boss.get(f"/cases/{case.pk}/").content.decode()
    assert "张三、李四" in page and 'data-testid="referral-approve"' in page
    assert boss.post(f"/cases/referrals/{referral.pk}/act/", {"action": "approve"}).status_code == 302
    answer = inspector.post(
        f"/cases/referrals/{referral.pk}/act/", {"action": "transfer", "police_unit": "濂溪公安分局"}
    )
    assert answer.status_code == 302
    page = inspector.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-kind="case_referral"' in page and "（濂溪）应急移送〔" in page
