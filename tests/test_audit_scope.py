"""The audit log is scoped like what it describes (issue #10 item 3): each entry keeps the described object's
region, department and enterprise, and a reader sees, on the page and through the API with a bearer token,
only entries about objects they may see; entries about user accounts only where the role manages users."""

import pytest
from django.test import Client

from anquan.core.models import AuditEntry
from anquan.hazards import services as reporting

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(world):
    """The world plus a hazard on each 濂溪区 enterprise (reported by the county's inspector)."""
    inspector = world.users["inspector"]
    for enterprise, text in ((world.chem_t1, "储罐区无泄漏报警"), (world.build_t1, "脚手架无防护网")):
        reporting.report_hazard(
            {"enterprise": enterprise.uscc, "source": "inspection", "description": text},
            actor=world.users["county_office"] if enterprise == world.build_t1 else inspector,
        )
    return world


def objects_seen_via_api(persona: str, api_token) -> set[tuple[str, str]]:
    response = Client().get("/api/v1/audit-entries?limit=500", **api_token(persona))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {(item["model"], item["object_id"]) for item in body["items"]}


def objects_seen_on_page(user) -> str:
    response = login(user).get("/audit/")
    assert response.status_code == 200
    return response.content.decode()


def about(world, *names) -> set[tuple[str, str]]:
    """(model, id) of the named enterprises and of every hazard of theirs."""
    from anquan.hazards.models import Hazard

    enterprises = [getattr(world, n) for n in names]
    found = {("enterprises.enterprise", str(e.pk)) for e in enterprises}
    found |= {("hazards.hazard", str(h.pk)) for h in Hazard.objects.filter(enterprise__in=enterprises)}
    return found


def test_entries_carry_the_objects_department_and_enterprise(logged):
    entry = AuditEntry.objects.get(model="enterprises.enterprise", object_id=str(logged.build_t1.pk))
    assert entry.department_id == logged.build_t1.supervising_department_id
    assert entry.enterprise_id == logged.build_t1.pk
    hazard = AuditEntry.objects.filter(model="hazards.hazard", enterprise_id=logged.build_t1.pk).get()
    assert hazard.department_id == logged.build_t1.supervising_department_id


def test_a_department_supervisor_sees_only_its_departments_objects(logged, api_token):
    seen = objects_seen_via_api("housing_supervisor", api_token)  # 住建局 of 濂溪区
    assert seen == about(logged, "build_t1")
    page = objects_seen_on_page(logged.users["housing_supervisor"])
    assert "濂溪建筑工程有限公司" in page and "脚手架无防护网" in page
    assert "江西化工测试有限公司" not in page and "储罐区无泄漏报警" not in page


def test_user_account_entries_are_hidden_from_a_department_supervisor(logged, api_token):
    for persona in ("housing_supervisor", "emergency_supervisor"):
        assert not {m for m, _ in objects_seen_via_api(persona, api_token)} & {
            "accounts.user",
            "accounts.apitoken",
        }
    page = objects_seen_on_page(logged.users["emergency_supervisor"])
    assert "江西化工测试有限公司" in page  # its own objects' entries are there, the accounts' are not
    assert "housing_supervisor" not in page and "county_office_b" not in page


def test_a_county_office_sees_everything_in_its_county(logged, api_token):
    seen = objects_seen_via_api("county_office", api_token)
    assert about(logged, "chem_t1", "build_t1", "chem_t2") <= seen
    assert ("enterprises.enterprise", str(logged.chem_xiushui.pk)) not in seen  # 修水县
    accounts = {i for m, i in seen if m == "accounts.user"}
    county_users = {
        str(u.pk) for n, u in logged.users.items() if u.region and u.region.code.startswith("360402")
    }
    assert county_users <= accounts  # it manages the county's users
    assert str(logged.users["county_office_b"].pk) not in accounts
    page = objects_seen_on_page(logged.users["county_office"])
    assert "脚手架无防护网" in page and "储罐区无泄漏报警" in page and "修水化学有限公司" not in page


def test_an_enterprise_user_sees_only_its_own(logged, api_token):
    seen = objects_seen_via_api("enterprise_manager", api_token)
    assert seen == about(logged, "chem_t1")
    page = objects_seen_on_page(logged.users["enterprise_manager"])
    assert "储罐区无泄漏报警" in page and "脚手架无防护网" not in page and "濂溪建筑工程有限公司" not in page


def test_roles_without_the_audit_log_are_refused(logged, api_token):
    response = Client().get("/api/v1/audit-entries", **api_token("grid_worker"))
    assert response.status_code == 403 and response.json()["detail"][0]["message"]
    assert login(logged.users["grid_worker"]).get("/audit/").status_code == 403


def test_filters_narrow_the_list(logged, api_token):
    pk = str(logged.build_t1.pk)
    response = Client().get(
        f"/api/v1/audit-entries?model=enterprises.enterprise&object_id={pk}", **api_token("county_office")
    )
    items = response.json()["items"]
    assert items and {(i["model"], i["object_id"]) for i in items} == {("enterprises.enterprise", pk)}
    assert (
        Client().get("/api/v1/audit-entries?action=nonsense", **api_token("county_office")).status_code == 422
    )


def test_a_structured_value_reads_as_folded_labelled_lines(logged):
    """A value such as a risk report's snapshot is shown folded with its number of items and, unfolded, as
    indented lines with Chinese labels (issue #12) — not as a Python dict or JSON with English keys."""
    from anquan.core import audit
    from anquan.core.choices import AuditAction

    snapshot = {"enterprise": {"name": "江西化工测试有限公司"}, "points_total": 2, "installations": []}
    audit.record(
        AuditAction.UPDATE,
        logged.chem_t1,
        actor=logged.users["county_office"],
        before={"snapshot": {}},
        after={"snapshot": snapshot},
    )
    page = objects_seen_on_page(logged.users["county_office"])
    assert "共3项" in page
    assert "企业：\n  名称：江西化工测试有限公司\n风险点总数：2" in page
    assert "{&#x27;enterprise&#x27;" not in page and "&quot;name&quot;" not in page
