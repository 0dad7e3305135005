"""The to-do centre beyond hazards (issue #12): risk reports to review and to resubmit, today's control checks,
the to-do page and API, and the notifications page grouped by kind with the notices of done tasks cleared."""

import pytest
from django.test import Client
from django.utils import timezone

from anquan.checks import services as tasks
from anquan.checks.models import CheckTask
from anquan.core.models import Notification
from anquan.core.notify import notify
from anquan.core.todo import items_for
from anquan.riskreports import actions as reports

from .conftest import login
from .riskpoints.helpers import new_point
from .riskreports.test_reports import draft

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {item.kind: item.count for item in items_for(user)}


def test_risk_report_waits_for_its_reviewers_then_for_the_enterprise(world):
    manager, county = world.users["enterprise_manager"], world.users["county_office"]
    report = reports.submit(draft(world), actor=manager)
    assert counts(county)["riskreports.review"] == 1
    assert counts(world.users["county_office_b"]).get("riskreports.review") is None  # not in its scope
    listed = login(county).get(next(i.url for i in items_for(county) if i.kind == "riskreports.review"))
    assert [r.pk for r in listed.context["page"].object_list] == [report.pk]

    report = reports.return_report(report, actor=county, reason="缺少有限空间作业风险")
    assert "riskreports.review" not in counts(county) and counts(manager)["riskreports.resubmit"] == 1
    asked = Notification.objects.filter(kind="risk_report_review", subject=f"risk_report:{report.pk}")
    assert asked.count() == 3 and all(
        n.done_at and n.read_at for n in asked
    )  # cleared for all three reviewers
    returned = Notification.objects.get(user=manager, kind="risk_report_result")
    assert returned.title.startswith("您单位") and returned.done_at is None

    reports.submit(report, actor=manager)
    assert "riskreports.resubmit" not in counts(manager)
    returned.refresh_from_db()
    assert returned.done_at is not None  # resubmitted: the request to fix it is done


def test_todays_checks_wait_for_the_enterprise_only(world):
    point = new_point(world)
    tasks.add_schedule(
        point,
        {"frequency": "day", "post": "储罐区巡检岗", "content": "检查液位"},
        actor=world.users["enterprise_manager"],
        now=timezone.now(),
    )
    manager = world.users["enterprise_manager"]
    assert counts(manager)["checks.today"] == 1
    assert "checks.today" not in counts(world.users["county_office"])
    task = CheckTask.objects.get()
    assert login(manager).post(f"/risk/tasks/{task.pk}/complete/", {"outcome": "normal"}).status_code == 302
    assert "checks.today" not in counts(manager)


def test_todo_page_and_api(world, api_token):
    manager = world.users["enterprise_manager"]
    reports.submit(draft(world), actor=manager)
    page = login(world.users["county_office"]).get("/todo/").content.decode()
    assert "待审核的风险报告" in page and 'href="/risk/reports/?status=submitted"' in page
    assert "暂无待办事项" in login(world.users["grid_worker"]).get("/todo/").content.decode()
    body = Client().get("/api/v1/todo", **api_token("county_office")).json()
    assert body == {
        "items": [
            {
                "kind": "riskreports.review",
                "label": "待审核的风险报告",
                "count": 1,
                "url": "/risk/reports/?status=submitted",
            }
        ],
        "count": 1,
    }
    assert Client().get("/api/v1/todo").status_code == 401


def test_notifications_grouped_by_kind(world):
    user = world.users["county_office"]
    for n in range(7):
        notify(
            [user],
            f"隐患濂溪隐〔2026〕{n:04d}已提交整改，请验收",
            kind="hazard_review",
            subject=f"hazard:{n}",
            step="submitted",
        )
    notify([user], "某企业提交了风险报告，请审核", kind="risk_report_review")
    client = login(user)
    page = client.get("/notifications/")
    groups = {g["kind"]: g for g in page.context["groups"]}
    assert (groups["hazard_review"]["unread"], groups["hazard_review"]["total"]) == (7, 7)
    assert len(groups["hazard_review"]["latest_items"]) == 5  # the latest five, and a link to all seven
    html = page.content.decode()
    assert "待验收整改" in html and "待审核风险报告" in html and "?kind=hazard_review" in html

    client.post("/notifications/", {"kind": "hazard_review"})  # mark one kind read
    assert Notification.objects.filter(user=user, read_at__isnull=True).count() == 1
    one_kind = client.get("/notifications/?kind=risk_report_review")
    assert [n.kind for n in one_kind.context["page"].object_list] == ["risk_report_review"]


@pytest.mark.parametrize("persona", ["county_office", "enterprise_manager", "emergency_supervisor"])
def test_the_todo_costs_one_query_per_module(world, persona, django_assert_max_num_queries):
    """The badge is on every page: each module answers in at most one aggregate query, whatever the data."""
    from anquan.core.todo import TODO_ITEMS

    user = world.users[persona]
    _ = (user.region, user.enterprise, user.department)  # loaded with the user, not by the to-do
    with django_assert_max_num_queries(len(TODO_ITEMS.functions)):
        items_for(user)
