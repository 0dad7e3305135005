"""Patrol tasks: generation from the plan, visits (正常 / a hazard with a photo), the offline resend counted once,
the venue's last check, scope and bad input, and missed patrols counted per township, village and worker."""

import datetime as dt

import pytest
from django.utils import timezone

from anquan.grids import services, stats
from anquan.grids.models import PatrolTask, PatrolVisit
from anquan.hazards.models import Hazard
from tests.conftest import login

from .conftest import make_venue

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_plan_makes_one_task_per_period_listing_the_grids_venues_and_enterprises(world, patrol):
    task = patrol.task
    keys = {f"{t['type']}:{t['id']}" for t in task.targets}
    assert keys == {
        f"venue:{patrol.venue.pk}",
        f"venue:{patrol.shop.pk}",
        f"enterprise:{world.chem_t1.pk}",
        f"enterprise:{world.build_t1.pk}",
    }
    assert task.worker == world.users["grid_worker"]
    assert task.period_start <= timezone.now() < task.period_end
    assert services.generate() == []  # a second run makes nothing
    assert PatrolTask.objects.filter(grid=patrol.grid).count() == 1


def test_by_rule_an_internet_cafe_makes_the_grid_weekly(world, patrol):
    frequency, version = services.rule_frequency(patrol.task.targets, timezone.localdate(), "360402")
    assert frequency == "week"
    assert version.verified == "partial"  # the grid frequencies are the system's defaults, said on the page


def test_normal_and_hazard_visits_report_the_hazard_and_the_venues_last_check(world, patrol):
    worker = world.users["grid_worker"]
    client = login(worker)
    page = client.get(f"/patrols/{patrol.task.pk}/")
    assert page.status_code == 200 and "濂溪小网吧" in page.content.decode()
    answer = client.post(
        f"/patrols/{patrol.task.pk}/visits/",
        {"target": f"venue:{patrol.venue.pk}", "outcome": "normal", "form_key": "k1"},
    )
    assert answer.status_code == 302
    patrol.venue.refresh_from_db()
    assert patrol.venue.last_check_ok is True and patrol.venue.last_checked_on == timezone.localdate()
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        f"/patrols/{patrol.task.pk}/visits/",
        {
            "target": f"venue:{patrol.shop.pk}",
            "outcome": "hazard",
            "description": "灭火器过期",
            "form_key": "k2",
            "photos": SimpleUploadedFile("p.png", PNG, content_type="image/png"),
        },
    )
    assert answer.status_code == 302
    visit = PatrolVisit.objects.get(target_id=patrol.shop.pk, target_type="venue")
    hazard = visit.hazard
    assert hazard.source == "grid_patrol" and hazard.status == "reported" and hazard.attachments.count() == 1
    assert "濂溪便民小商店" in hazard.address
    patrol.shop.refresh_from_db()
    assert patrol.shop.last_check_ok is False
    # the township office sees the hazard to accept
    office = login(world.users["township_office"])
    assert office.get(f"/hazards/{hazard.pk}/").status_code == 200


def test_an_offline_resend_is_recorded_once(world, patrol):
    client = login(world.users["grid_worker"])
    form = {
        "target": f"enterprise:{world.chem_t1.pk}",
        "outcome": "hazard",
        "description": "储罐区消防通道堵塞",
        "form_key": "offline-1",
    }
    first = client.post(f"/patrols/{patrol.task.pk}/visits/", form, HTTP_X_AQ_OUTBOX="1")
    second = client.post(f"/patrols/{patrol.task.pk}/visits/", form, HTTP_X_AQ_OUTBOX="1")
    assert first.status_code == second.status_code == 204  # the outbox's answer: done, open this page
    assert PatrolVisit.objects.filter(task=patrol.task).count() == 1
    assert Hazard.objects.filter(description="储罐区消防通道堵塞").count() == 1
    # without the key, the same target again is refused with a Chinese message
    again = client.post(f"/patrols/{patrol.task.pk}/visits/", {**form, "form_key": ""})
    assert again.status_code == 409 and "已记录" in again.content.decode()


def test_the_last_visit_completes_the_task(world, patrol):
    worker = world.users["grid_worker"]
    for target in patrol.task.targets:
        services.record_visit(
            patrol.task, {"target": f"{target['type']}:{target['id']}", "outcome": "normal"}, actor=worker
        )
    patrol.task.refresh_from_db()
    assert patrol.task.status == "done" and patrol.task.checked_in_at is not None
    assert list(patrol.task.events.values_list("action", flat=True)) == ["complete"]


def test_bad_input_is_refused_under_its_field(world, patrol):
    client = login(world.users["grid_worker"])
    url = f"/patrols/{patrol.task.pk}/visits/"
    no_description = client.post(url, {"target": f"venue:{patrol.venue.pk}", "outcome": "hazard"})
    assert no_description.status_code == 422
    assert "发现隐患须填写隐患描述" in no_description.content.decode()
    other = make_venue(patrol.grid, name="别处小旅馆", kind="small_hotel")  # made after the task: not in it
    assert client.post(url, {"target": f"venue:{other.pk}", "outcome": "normal"}).status_code == 422
    assert client.post(url, {"target": "nonsense", "outcome": "normal"}).status_code == 422
    far = client.post(f"/patrols/{patrol.task.pk}/check-in/", {"latitude": "91", "longitude": "116"})
    assert far.status_code == 422 and "纬度" in far.content.decode()
    assert PatrolVisit.objects.count() == 0


def test_others_cannot_patrol_and_another_county_sees_nothing(world, patrol):
    url = f"/patrols/{patrol.task.pk}/"
    assert login(world.users["county_office_b"]).get(url).status_code == 404
    assert login(world.users["county_office_b"]).get(f"/grids/{patrol.grid.pk}/").status_code == 404
    office = login(world.users["township_office"])
    assert office.get(url).status_code == 200
    refused = office.post(f"{url}visits/", {"target": f"venue:{patrol.venue.pk}", "outcome": "normal"})
    assert refused.status_code == 403 and "只有本网格的网格员" in refused.content.decode()


def test_check_in_records_time_and_place(world, patrol):
    client = login(world.users["grid_worker"])
    answer = client.post(f"/patrols/{patrol.task.pk}/check-in/", {"latitude": "29.68", "longitude": "116.0"})
    assert answer.status_code == 302
    patrol.task.refresh_from_db()
    assert patrol.task.checked_in_at is not None and float(patrol.task.checkin_latitude) == 29.68


def _task(grid, start, status, worker, region_code=None):
    start = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    return PatrolTask.objects.create(
        plan=grid.patrol_plan,
        grid=grid,
        region_code=region_code or grid.region_code,
        worker=worker,
        frequency="week",
        period_start=start,
        period_end=start + dt.timedelta(days=7),
        targets=[{"type": "venue", "id": 1, "name": "x"}, {"type": "venue", "id": 2, "name": "y"}],
        status=status,
    )


def test_missed_patrols_are_counted_per_township_village_and_worker(world, patrol):
    from anquan.accounts.services import create_user
    from anquan.grids.models import PatrolPlan
    from anquan.regions.models import Grid, Region

    worker = world.users["grid_worker"]
    village = Region.objects.create(  # the reference data holds no villages: one made here
        code=f"{world.t1.code}201",
        name="测试村",
        level=5,
        parent=world.t1,
        full_name=f"{world.t1.full_name}测试村",
    )
    other = create_user(
        actor=None,
        username="grid_b",
        role="grid_worker",
        password="Test-Passw0rd!",
        region_code=world.t1.code,
    )
    vgrid = Grid.objects.create(region=village, level="village", code=f"{village.code}G001", name="村网格")
    vgrid.workers.add(other)
    PatrolPlan.objects.create(grid=vgrid, frequency="week")
    monday = dt.date(2026, 11, 2)
    _task(patrol.grid, monday, "open", worker)  # ended, never swept: counts as missed once marked
    _task(patrol.grid, monday + dt.timedelta(days=7), "done", worker)
    _task(vgrid, monday, "open", other)
    _task(vgrid, monday + dt.timedelta(days=7), "open", other)
    _task(vgrid, monday - dt.timedelta(days=7), "open", other)  # before the range: not counted
    missed = services.mark_missed(timezone.make_aware(dt.datetime(2026, 11, 30)))
    assert len(missed) == 4  # every ended open task, the one before the range included
    assert PatrolTask.objects.get(pk=missed[0]).missed_targets == 2
    counts = stats.missed(Region.objects.get(code="360402"), dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    # the fixture's task of the running week is open and in the range too
    assert (counts.total.total, counts.total.missed, counts.total.done, counts.total.open) == (5, 3, 1, 1)
    town = {r.key: r for r in counts.townships}[world.t1.code]
    assert (town.total, town.missed, town.done) == (5, 3, 1)
    assert [(r.key, r.missed) for r in counts.villages] == [(village.code, 2)]
    by_worker = {r.key: r.missed for r in counts.workers}
    assert by_worker == {str(worker.pk): 1, str(other.pk): 2}
    # another county's township is not in 修水县's counts
    assert (
        stats.missed(
            Region.objects.get(code="360424"), dt.date(2026, 11, 1), dt.date(2026, 11, 30)
        ).total.total
        == 0
    )


def test_the_township_office_sees_missed_patrols_in_its_to_do_and_the_worker_todays(world, patrol):
    from anquan.core.todo import items_for

    _task(patrol.grid, dt.date(2026, 11, 2), "open", world.users["grid_worker"])
    office = {i.kind: i.count for i in items_for(world.users["township_office"])}
    assert office.get("grids.missed") == 1
    worker = {i.kind: i.count for i in items_for(world.users["grid_worker"])}
    assert worker.get("grids.today") == 1
    assert "grids.missed" not in {i.kind for i in items_for(world.users["county_office_b"])}
    page = login(world.users["township_office"]).get("/patrols/missed/?from=2026-11-01&to=2026-11-30")
    assert page.status_code == 200 and 'data-testid="total-missed">1<' in page.content.decode()
    export = login(world.users["township_office"]).get(
        "/patrols/missed/export/?from=2026-11-01&to=2026-11-30"
    )
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_patrol_api_records_a_visit_once_per_key(world, patrol):
    from django.test import Client

    from .test_grids import _api

    client = Client()
    worker = _api(world, "grid_worker")
    listed = client.get("/api/v1/patrols?status=open", **worker).json()
    assert [t["id"] for t in listed["items"]] == [patrol.task.pk]
    body = {"target": f"venue:{patrol.venue.pk}", "outcome": "normal", "failed": []}
    first = client.post(
        f"/api/v1/patrols/{patrol.task.pk}/visits",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="v-1",
        **worker,
    )
    again = client.post(
        f"/api/v1/patrols/{patrol.task.pk}/visits",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="v-1",
        **worker,
    )
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert PatrolVisit.objects.count() == 1
    bad = client.post(
        f"/api/v1/patrols/{patrol.task.pk}/visits",
        {"target": f"venue:{patrol.shop.pk}", "outcome": "normal", "failed": ["no-such-item"]},
        content_type="application/json",
        **worker,
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "failed"
    other = _api(world, "county_office_b")
    assert client.get(f"/api/v1/patrols/{patrol.task.pk}", **other).status_code == 404
    got = client.get(f"/api/v1/patrols/{patrol.task.pk}", **_api(world, "county_office")).json()
    assert {t["target"]: t["ok"] for t in got["targets"]}[f"venue:{patrol.venue.pk}"] is True
    start = timezone.localtime(patrol.task.period_start).date().isoformat()
    stats_answer = client.get(f"/api/v1/stats/grids?from={start}", **_api(world, "county_office")).json()
    assert stats_answer["total"]["total"] == 1 and stats_answer["townships"][0]["key"] == world.t1.code


def test_the_workers_page_makes_the_running_periods_task_when_the_sweep_has_not(world, patrol):
    patrol.task.delete()  # as if the sweep had not run since the period began
    page = login(world.users["grid_worker"]).get("/patrols/today/")
    task = PatrolTask.objects.get(grid=patrol.grid)
    assert page.status_code == 200 and f'data-testid="patrol-{task.pk}"' in page.content.decode()
    assert len(task.targets) == 4 and task.period_start <= timezone.now() < task.period_end
    assert services.run()["created"] == []  # the sweep afterwards makes nothing twice


def test_a_venue_registered_during_the_period_joins_the_open_task_once(world, patrol):
    from anquan.core.models import AuditEntry

    worker = login(world.users["grid_worker"])
    new = make_venue(patrol.grid, name="濂溪新开小餐馆", kind="small_restaurant")  # registered this week
    assert worker.get("/patrols/today/").status_code == 200
    worker.get("/patrols/today/")  # a second look adds nothing twice
    patrol.task.refresh_from_db()
    keys = [(t["type"], int(t["id"])) for t in patrol.task.targets]
    assert keys.count(("venue", new.pk)) == 1 and len(keys) == 5
    page = worker.get(f"/patrols/{patrol.task.pk}/").content.decode()
    assert "濂溪新开小餐馆" in page
    assert AuditEntry.objects.filter(comment="网格新增场所、企业，纳入本期巡查：濂溪新开小餐馆").count() == 1
