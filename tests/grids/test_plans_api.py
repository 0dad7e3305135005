"""A grid's patrol plan, a worker's check-in and a village grid's allowances over the API: the same rules as the
grid page's forms (scope 404, offices only, field-level 422 in Chinese), and each change audited."""

import pytest
from django.test import Client

from anquan.core.models import AuditEntry
from anquan.grids.models import Allowance
from anquan.regions.models import Grid, Region

from .test_grids import _api

pytestmark = pytest.mark.django_db


def test_an_office_sets_the_plan_and_a_worker_checks_in(world, patrol):
    client, office = Client(), _api(world, "township_office")
    answer = client.put(
        f"/api/v1/grids/{patrol.grid.pk}/plan",
        {"frequency": "day"},
        content_type="application/json",
        **office,
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["frequency"] == "day" and answer.json()["open_patrol"] is not None
    assert (
        AuditEntry.objects.filter(comment=f"网格{patrol.grid.code}巡查计划").count() == 2
    )  # made, then changed
    bad = client.put(
        f"/api/v1/grids/{patrol.grid.pk}/plan",
        {"frequency": "hourly"},
        content_type="application/json",
        **office,
    )
    assert bad.status_code == 422
    worker = _api(world, "grid_worker")
    refused = client.put(
        f"/api/v1/grids/{patrol.grid.pk}/plan",
        {"frequency": "week"},
        content_type="application/json",
        **worker,
    )
    assert refused.status_code == 403 and "巡查计划" in str(refused.json()["detail"])
    other = _api(world, "county_office_b")
    assert (
        client.put(
            f"/api/v1/grids/{patrol.grid.pk}/plan",
            {"frequency": "week"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )

    task = patrol.task
    checked = client.post(
        f"/api/v1/patrols/{task.pk}/check-in",
        {"latitude": 29.68, "longitude": 115.99},
        content_type="application/json",
        **worker,
    )
    assert checked.status_code == 200, checked.content
    assert checked.json()["checked_in_at"] is not None
    task.refresh_from_db()
    assert str(task.checkin_latitude) == "29.680000"
    far = client.post(
        f"/api/v1/patrols/{task.pk}/check-in", {"latitude": 129.0}, content_type="application/json", **worker
    )
    assert far.status_code == 422 and "纬度" in str(far.json()["detail"])
    assert (
        client.post(
            f"/api/v1/patrols/{task.pk}/check-in", {}, content_type="application/json", **office
        ).status_code
        == 403
    )  # only a worker of the grid


def test_allowances_of_a_village_grid_are_recorded_once_a_month(world):
    village = Region.objects.create(
        code=f"{world.t1.code}201", name="测试村", level=5, parent=world.t1, full_name="测试村"
    )
    grid = Grid.objects.create(region=village, level="village", code=f"{village.code}G902", name="测试村网格")
    grid.workers.add(world.users["grid_worker"])
    client, office = Client(), _api(world, "township_office")
    url = f"/api/v1/grids/{grid.pk}/allowances"
    made = client.post(url, {"month": "2026-11", "amount": "260"}, content_type="application/json", **office)
    assert made.status_code == 201, made.content
    assert [(row["worker_name"], row["amount"]) for row in made.json()] == [("grid_worker", "260.00")]
    again = client.post(url, {"month": "2026-11", "amount": "300"}, content_type="application/json", **office)
    assert again.status_code == 201 and again.json() == []  # the month was already recorded
    assert [str(a.amount) for a in Allowance.objects.filter(grid=grid)] == ["260.00"]
    bad = client.post(url, {"month": "2026-13"}, content_type="application/json", **office)
    assert bad.status_code == 422 and "YYYY-MM" in str(bad.json()["detail"])
    listed = client.get(url, **office).json()
    assert [row["month"] for row in listed] == ["2026-11-01"]
    assert client.get(url, **_api(world, "county_office_b")).status_code == 404
    worker = client.post(
        url, {"month": "2026-10"}, content_type="application/json", **_api(world, "grid_worker")
    )
    assert worker.status_code == 403
