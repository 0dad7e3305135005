"""Control (self-check) tasks: generated on schedule on a controlled clock, idempotent, missed when the
period ends and counted, visible to the enterprise and its supervisors in scope only; completion by
the enterprise (all normal, or a self_check hazard linked to the risk point); the sweep hook."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from anquan.api import api as main_api
from anquan.checks import services as tasks
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.core.errors import Conflict, NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry, Notification
from anquan.hazards.choices import Source
from anquan.hazards.models import Hazard
from anquan.hazards.services import report_hazard
from anquan.sweep.services import sweep
from tests.conftest import PASSWORD, login

from ..riskpoints.helpers import new_point

API = "/api/v1"

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)
MONDAY_9 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def local(*args):
    return dt.datetime(*args, tzinfo=TZ)


def schedule(world, point, frequency, now, post="储罐区巡检岗"):
    return tasks.add_schedule(
        point,
        {"frequency": frequency, "post": post, "content": "检查液位、压力、泄漏报警"},
        actor=world.users["enterprise_manager"],
        now=now,
    )


@pytest.mark.parametrize(
    ("frequency", "now", "start", "end"),
    [
        ("shift", MONDAY_9, local(2026, 11, 23, 8), local(2026, 11, 23, 16)),
        ("shift", local(2026, 11, 23, 7, 59), local(2026, 11, 23, 0), local(2026, 11, 23, 8)),
        ("shift", local(2026, 11, 23, 23, 30), local(2026, 11, 23, 16), local(2026, 11, 24, 0)),
        ("day", MONDAY_9, local(2026, 11, 23), local(2026, 11, 24)),
        ("week", MONDAY_9, local(2026, 11, 23), local(2026, 11, 30)),
        ("week", local(2026, 11, 29, 23, 59), local(2026, 11, 23), local(2026, 11, 30)),
        ("month", MONDAY_9, local(2026, 11, 1), local(2026, 12, 1)),
        ("quarter", MONDAY_9, local(2026, 10, 1), local(2027, 1, 1)),
        ("half_year", MONDAY_9, local(2026, 7, 1), local(2027, 1, 1)),
        ("half_year", local(2026, 3, 1), local(2026, 1, 1), local(2026, 7, 1)),
    ],
)
def test_periods(frequency, now, start, end):
    assert tasks.period_for(frequency, now) == (start, end)
    # the same instant given in UTC gives the same local period
    assert tasks.period_for(frequency, now.astimezone(dt.UTC)) == (start, end)


def test_generated_on_schedule_and_idempotent(world, django_assert_max_num_queries):
    point = new_point(world)
    for frequency in ("day", "shift", "week"):
        schedule(world, point, frequency, MONDAY_9)
    got = {
        t.schedule.frequency: (t.period_start, t.period_end)
        for t in CheckTask.objects.select_related("schedule")
    }
    assert got == {
        "day": (local(2026, 11, 23), local(2026, 11, 24)),
        "shift": (local(2026, 11, 23, 8), local(2026, 11, 23, 16)),
        "week": (local(2026, 11, 23), local(2026, 11, 30)),
    }
    task = CheckTask.objects.first()
    assert task.enterprise_id == world.chem_t1.pk and task.region_code == world.chem_t1.region_code
    assert task.supervising_department_id == world.chem_t1.supervising_department_id
    assert tasks.generate(MONDAY_9) == [] and tasks.generate(MONDAY_9 + dt.timedelta(hours=6)) == []
    assert CheckTask.objects.count() == 3
    with django_assert_max_num_queries(4):  # a repeated run reads, it does not try each schedule
        assert tasks.generate(MONDAY_9) == []
    # the next shift: only the shift schedule gets a new task
    made = tasks.generate(local(2026, 11, 23, 16, 0))
    assert [t.schedule.frequency for t in made] == ["shift"]
    assert made[0].period_start == local(2026, 11, 23, 16)


def test_inactive_schedule_makes_nothing(world):
    point = new_point(world)
    s = schedule(world, point, "day", MONDAY_9)
    s.active = False
    s.save()
    assert tasks.generate(MONDAY_9 + dt.timedelta(days=1)) == []


def test_schedule_validation_and_permission(world):
    point = new_point(world)
    with pytest.raises(ValidationFailed) as exc:
        tasks.add_schedule(
            point, {"frequency": "hourly", "post": "", "content": ""}, actor=world.users["inspector"]
        )
    assert {e.field for e in exc.value.errors} == {"frequency", "post", "content"}
    with pytest.raises(NotPermitted):
        tasks.add_schedule(
            point, {"frequency": "day", "post": "岗", "content": "查"}, actor=world.users["grid_worker"]
        )


def test_missed_when_period_ends_and_counted(world):
    point = new_point(world)
    schedule(world, point, "day", MONDAY_9)
    schedule(world, point, "week", MONDAY_9)
    result = tasks.run(local(2026, 11, 24, 0, 5))
    missed = CheckTask.objects.get(status=TaskStatus.MISSED)
    assert result.missed == [missed.pk] and missed.schedule.frequency == "day"
    assert CheckTask.objects.filter(status=TaskStatus.OPEN).count() == 2  # the week task, Tuesday's task
    assert tasks.run(local(2026, 11, 24, 0, 10)).missed == []  # counted once
    assert AuditEntry.objects.filter(model="checks.checktask", object_id=str(missed.pk)).exists()
    counts = tasks.missed_counts(CheckTask.objects.all(), dt.date(2026, 11, 23), dt.date(2026, 11, 24))
    assert counts == [
        {
            "enterprise_id": world.chem_t1.pk,
            "enterprise__name": world.chem_t1.name,
            "total": 3,
            "missed": 1,
            "done": 0,
        }
    ]
    by_point = tasks.missed_counts(
        CheckTask.objects.all(), dt.date(2026, 11, 23), dt.date(2026, 11, 23), by="point"
    )
    assert by_point[0]["point_id"] == point.pk and by_point[0]["missed"] == 1 and by_point[0]["total"] == 2
    assert tasks.missed_counts(CheckTask.objects.all(), dt.date(2026, 11, 25), dt.date(2026, 11, 30)) == []


@pytest.fixture
def missed_task(world):
    """A day task of three days ago (real clock), left open and marked missed."""
    point = new_point(world)
    past = timezone.now() - dt.timedelta(days=3)
    schedule(world, point, "day", past)
    tasks.run(timezone.now())
    return CheckTask.objects.get(status=TaskStatus.MISSED)


def _range():
    today = timezone.localdate()
    return {"from": (today - dt.timedelta(days=10)).isoformat(), "to": today.isoformat()}


@pytest.mark.parametrize(
    "persona", ["enterprise_manager", "county_office", "emergency_supervisor", "city_office"]
)
def test_missed_visible_in_scope(world, missed_task, persona):
    client = login(world.users[persona])
    html = client.get("/risk/tasks/missed/", _range()).content.decode()
    assert f'data-testid="missed-{world.chem_t1.pk}" class="text-danger fw-bold">1<' in html
    assert f'data-task="{missed_task.pk}"' in html
    html = client.get("/risk/tasks/missed/", {**_range(), "enterprise": world.chem_t1.pk}).content.decode()
    assert 'data-testid="missed-by-point"' in html and missed_task.point.name in html
    response = client.get(f"/risk/{missed_task.point_id}/schedules/")
    assert response.status_code == 200 and 'data-testid="point-missed">1<' in response.content.decode()
    if persona == "enterprise_manager":
        html = client.get("/risk/tasks/").content.decode()
        assert f'data-task="{missed_task.pk}"' in html


@pytest.mark.parametrize("persona", ["county_office_b", "housing_supervisor"])
def test_missed_not_visible_out_of_scope(world, missed_task, persona):
    client = login(world.users[persona])
    response = client.get("/risk/tasks/missed/", _range())
    assert response.status_code == 200
    html = response.content.decode()
    assert world.chem_t1.name not in html and f'data-task="{missed_task.pk}"' not in html
    assert 'data-testid="total-missed">0<' in html
    assert client.get(f"/risk/{missed_task.point_id}/schedules/").status_code == 404
    assert f'data-task="{missed_task.pk}"' not in client.get("/risk/tasks/").content.decode()
    assert client.post(f"/risk/tasks/{missed_task.pk}/complete/", {"outcome": "normal"}).status_code == 404


def test_missed_task_cannot_be_completed(world, missed_task):
    user = world.users["enterprise_manager"]
    with pytest.raises(Conflict) as exc:
        tasks.complete(missed_task, {"outcome": "normal"}, actor=user)
    assert exc.value.code == "missed"
    response = login(user).post(f"/risk/tasks/{missed_task.pk}/complete/", {"outcome": "normal"})
    assert response.status_code == 409 and "逾期" in response.content.decode()
    missed_task.refresh_from_db()
    assert missed_task.status == TaskStatus.MISSED and missed_task.done_at is None


def test_open_task_past_its_period_cannot_be_completed(world):
    point = new_point(world)
    schedule(world, point, "shift", MONDAY_9)
    task = CheckTask.objects.get()
    with pytest.raises(Conflict):
        tasks.complete(
            task, {"outcome": "normal"}, actor=world.users["enterprise_manager"], now=local(2026, 11, 23, 16)
        )


def test_complete_all_normal_via_page(world):
    point = new_point(world)
    schedule(world, point, "day", timezone.now())
    task = CheckTask.objects.get()
    client = login(world.users["enterprise_manager"])
    html = client.get("/risk/tasks/").content.decode()
    assert f'data-testid="normal-{task.pk}"' in html and f'data-testid="hazard-{task.pk}"' in html
    # an authority in scope sees the task but gets no buttons, and may not complete it
    supervisor = login(world.users["county_office"])
    html = supervisor.get("/risk/tasks/").content.decode()
    assert f'data-task="{task.pk}"' in html and f'data-testid="normal-{task.pk}"' not in html
    assert supervisor.post(f"/risk/tasks/{task.pk}/complete/", {"outcome": "normal"}).status_code == 403
    response = client.post(f"/risk/tasks/{task.pk}/complete/", {"outcome": "normal", "note": "液位正常"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE_NORMAL and task.done_by == world.users["enterprise_manager"]
    assert AuditEntry.objects.filter(
        model="checks.checktask", object_id=str(task.pk), action="transition"
    ).exists()
    event = task.events.get()  # the declared transition's event row
    assert (event.action, event.from_status, event.to_status, event.comment) == (
        "done_normal",
        "open",
        "done_normal",
        "液位正常",
    )
    assert client.post(f"/risk/tasks/{task.pk}/complete/", {"outcome": "normal"}).status_code == 409
    assert task.events.count() == 1


def test_complete_with_hazard(world):
    point = new_point(world)
    schedule(world, point, "shift", MONDAY_9)
    task = CheckTask.objects.get()
    user = world.users["enterprise_manager"]
    with pytest.raises(ValidationFailed):
        tasks.complete(task, {"outcome": "hazard", "description": ""}, actor=user, now=MONDAY_9)
    done = tasks.complete(
        task,
        {"outcome": "hazard", "description": "2号储罐液位计失灵"},
        actor=user,
        now=MONDAY_9 + dt.timedelta(hours=1),
    )
    hazard = Hazard.objects.get()
    assert done.status == TaskStatus.DONE_HAZARD and done.hazard == hazard
    assert hazard.source == Source.SELF_CHECK and hazard.risk_point == point
    assert hazard.enterprise == world.chem_t1 and hazard.description == "2号储罐液位计失灵"
    assert list(point.hazards.all()) == [hazard]


def test_complete_with_hazard_via_page(world):
    point = new_point(world)
    schedule(world, point, "day", timezone.now())
    task = CheckTask.objects.get()
    client = login(world.users["enterprise_manager"])
    response = client.post(
        f"/risk/tasks/{task.pk}/complete/", {"outcome": "hazard", "description": "安全阀校验过期"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE_HAZARD and task.hazard.risk_point_id == point.pk


def test_other_enterprise_user_refused(world):
    from anquan.accounts.services import create_user

    other = create_user(
        actor=None,
        username="other-enterprise",
        role="enterprise_manager",
        password=PASSWORD,
        region_code=None,
        department_name=None,
        enterprise_uscc=world.chem_t2.uscc,
    )
    point = new_point(world)
    schedule(world, point, "day", timezone.now())
    task = CheckTask.objects.get()
    assert login(other).post(f"/risk/tasks/{task.pk}/complete/", {"outcome": "normal"}).status_code == 404
    assert login(other).get(f"/risk/{point.pk}/schedules/").status_code == 404
    with pytest.raises(Http404):  # another enterprise's task: out of scope, as on the page
        tasks.complete(task, {"outcome": "normal"}, actor=other)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_report_hazard_risk_point_checked(world):
    point = new_point(world)
    user = world.users["inspector"]
    base = {"enterprise": world.chem_t2.uscc, "description": "消防通道堵塞", "source": "inspection"}
    with pytest.raises(ValidationFailed) as exc:
        report_hazard({**base, "risk_point": point.pk}, actor=user)
    assert exc.value.errors[0].field == "risk_point" and "风险点" in exc.value.errors[0].message
    with pytest.raises(ValidationFailed):
        report_hazard({**base, "risk_point": "x"}, actor=user)
    hazard = report_hazard({**base, "enterprise": world.chem_t1.uscc, "risk_point": point.pk}, actor=user)
    assert hazard.risk_point == point
    assert report_hazard(base, actor=user).risk_point is None


def test_sweep_generates_and_marks(world):
    point = new_point(world)
    tasks.add_schedule(
        point,
        {"frequency": "shift", "post": "储罐区巡检岗", "content": "巡检"},
        actor=world.users["enterprise_manager"],
        now=local(2026, 11, 22, 20),  # makes Sunday's 16–24 shift task
    )
    result = sweep(now=MONDAY_9)
    first = CheckTask.objects.get(period_start=local(2026, 11, 22, 16))
    current = CheckTask.objects.get(period_start=local(2026, 11, 23, 8))
    assert result.check_tasks.missed == [first.pk] and result.check_tasks.created == [current.pk]
    assert sweep(now=MONDAY_9).check_tasks.created == []
    result = sweep(now=local(2026, 11, 23, 16, 1))
    assert result.check_tasks.missed == [current.pk] and len(result.check_tasks.created) == 1
    assert CheckTask.objects.filter(status=TaskStatus.MISSED).count() == 2


def test_schedule_page_form(world):
    point = new_point(world)
    client = login(world.users["enterprise_manager"])
    html = client.get(f"/risk/{point.pk}/schedules/").content.decode()
    assert 'data-testid="form-schedule"' in html
    response = client.post(
        f"/risk/{point.pk}/schedules/",
        {"frequency": "week", "post": "储罐区巡检岗", "content": "检查防雷接地"},
    )
    assert response.status_code == 302
    assert point.schedules.get().post == "储罐区巡检岗" and CheckTask.objects.filter(point=point).count() == 1
    assert "检查防雷接地" in client.get(f"/risk/{point.pk}/schedules/").content.decode()
    response = client.post(f"/risk/{point.pk}/schedules/", {"frequency": "week", "post": "", "content": ""})
    assert response.status_code == 422 and "请填写检查岗位" in response.content.decode()
    grid = login(world.users["grid_worker"])
    assert 'data-testid="form-schedule"' not in grid.get(f"/risk/{point.pk}/schedules/").content.decode()
    assert (
        grid.post(
            f"/risk/{point.pk}/schedules/", {"frequency": "day", "post": "岗", "content": "查"}
        ).status_code
        == 403
    )


def test_api(world, missed_task):
    point = missed_task.point
    em = login(world.users["enterprise_manager"])
    response = em.post(
        f"{API}/risk-points/{point.pk}/check-schedules",
        {"frequency": "shift", "post": "储罐区巡检岗", "content": "巡检"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["frequency"] == "shift"
    response = em.post(
        f"{API}/risk-points/{point.pk}/check-schedules",
        {"frequency": "hourly", "post": "岗", "content": "查"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "frequency"
    assert len(em.get(f"{API}/risk-points/{point.pk}/check-schedules").json()["items"]) == 2
    listed = em.get(f"{API}/check-tasks", {"status": "open"}).json()
    assert listed["count"] == 2  # today's day task and the current shift's task
    shift = next(t for t in listed["items"] if t["frequency"] == "shift")
    response = em.post(
        f"{API}/check-tasks/{shift['id']}/complete",
        {"outcome": "hazard", "description": "阀门渗漏"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done_hazard"
    assert Hazard.objects.get(pk=response.json()["hazard"]).risk_point_id == point.pk
    response = em.post(
        f"{API}/check-tasks/{missed_task.pk}/complete", {"outcome": "normal"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["detail"][0]["code"] == "missed"
    supervisor = login(world.users["emergency_supervisor"])
    assert supervisor.get(f"{API}/check-tasks", {"status": "missed"}).json()["count"] == 1
    stats = supervisor.get(f"{API}/stats/check-tasks", _range()).json()
    assert stats["items"][0]["enterprise"] == world.chem_t1.pk and stats["items"][0]["missed"] == 1
    other = login(world.users["county_office_b"])
    assert other.get(f"{API}/check-tasks").json()["count"] == 0
    assert other.get(f"{API}/stats/check-tasks", _range()).json()["items"] == []
    response = other.post(
        f"{API}/check-tasks/{shift['id']}/complete", {"outcome": "normal"}, content_type="application/json"
    )
    assert response.status_code == 404
    assert other.get(f"{API}/risk-points/{point.pk}/check-schedules").status_code == 404


def test_api_range_filter_and_schema(world, missed_task):
    client = login(world.users["county_office"])
    assert client.get(f"{API}/check-tasks", {"from": "2000-01-01", "to": "2000-01-02"}).json()["count"] == 0
    assert client.get(f"{API}/check-tasks", {"status": "missed", **_range()}).json()["count"] == 1
    stats = client.get(f"{API}/stats/check-tasks", {"from": "2000-01-01", "to": "2000-01-02"}).json()
    assert stats["items"] == [] and stats["from"] == "2000-01-01"
    assert client.get(f"{API}/check-tasks", {"status": "late"}).status_code == 422
    paths = main_api.get_openapi_schema()["paths"]
    assert "/api/v1/stats/check-tasks" in paths


def test_hazard_from_a_check_shows_its_risk_point(world):
    from django.test import Client

    point = new_point(world)
    hazard = report_hazard(
        {"description": "储罐区阀门渗漏", "risk_point": point.pk}, actor=world.users["enterprise_manager"]
    )
    assert hazard.risk_point == point
    page = login(world.users["county_office"]).get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'href="/risk/{point.pk}/"' in page
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": "county_office", "password": PASSWORD},
            content_type="application/json",
        )
        .json()["token"]
    )
    body = Client().get(f"/api/v1/hazards/{hazard.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["risk_point"] == point.pk


# --- changing, stopping and starting a schedule again ---------------------------------------------

WEDNESDAY_9 = local(2026, 11, 25, 9)


def test_change_schedule_applies_from_now_on(world):
    point = new_point(world)
    s = schedule(world, point, "day", WEDNESDAY_9)
    day_task = CheckTask.objects.get()
    changed = tasks.update_schedule(
        s,
        {"frequency": "week", "post": "安全管理员", "content": "检查防雷接地"},
        actor=world.users["county_office"],
        now=WEDNESDAY_9 + dt.timedelta(hours=1),
    )
    assert (changed.frequency, changed.post, changed.content) == ("week", "安全管理员", "检查防雷接地")
    # Wednesday's day task stays due; the week's task (Monday to Monday) is made at once
    periods = sorted((t.period_start, t.period_end, t.status) for t in CheckTask.objects.all())
    assert periods == [
        (local(2026, 11, 23), local(2026, 11, 30), TaskStatus.OPEN),
        (local(2026, 11, 25), local(2026, 11, 26), TaskStatus.OPEN),
    ]
    assert CheckTask.objects.get(pk=day_task.pk).status == TaskStatus.OPEN
    assert tasks.generate(local(2026, 11, 26, 9)) == []  # Thursday: the week's task already exists
    entry = AuditEntry.objects.get(model="checks.checkschedule", object_id=str(s.pk), action="update")
    assert (entry.before["frequency"], entry.after["frequency"]) == ("day", "week")
    assert (entry.before["post"], entry.after["post"]) == ("储罐区巡检岗", "安全管理员")
    # a partial change keeps the rest
    tasks.update_schedule(s, {"post": "当班操作工"}, actor=world.users["enterprise_manager"])
    s.refresh_from_db()
    assert (s.frequency, s.post, s.content) == ("week", "当班操作工", "检查防雷接地")


def test_change_schedule_refused(world):
    point = new_point(world)
    s = schedule(world, point, "day", WEDNESDAY_9)
    with pytest.raises(ValidationFailed) as exc:
        tasks.update_schedule(
            s, {"frequency": "hourly", "post": " ", "content": "查"}, actor=world.users["inspector"]
        )
    assert {e.field for e in exc.value.errors} == {"frequency", "post"}
    with pytest.raises(NotPermitted):
        tasks.update_schedule(s, {"post": "岗"}, actor=world.users["grid_worker"])
    s.refresh_from_db()
    assert (s.frequency, s.post) == ("day", "储罐区巡检岗")


def test_deactivate_stops_new_tasks_and_leaves_the_open_one(world):
    point = new_point(world)
    s = schedule(world, point, "day", MONDAY_9)
    tasks.run(local(2026, 11, 24, 9))  # Monday's task missed, Tuesday's made
    assert CheckTask.objects.filter(status=TaskStatus.MISSED).count() == 1
    user = world.users["enterprise_manager"]
    tasks.deactivate_schedule(s, actor=user, comment="储罐已拆除")
    s.refresh_from_db()
    assert s.active is False
    entry = AuditEntry.objects.get(model="checks.checkschedule", object_id=str(s.pk), action="transition")
    assert (entry.before["active"], entry.after["active"], entry.comment) == (True, False, "储罐已拆除")
    with pytest.raises(Conflict):
        tasks.deactivate_schedule(s, actor=user)
    # no new tasks; the past ones stay; Tuesday's open task stays due and is missed when its day ends
    result = tasks.run(local(2026, 11, 25, 9))
    assert result.created == []
    statuses = [t.status for t in CheckTask.objects.order_by("period_start")]
    assert statuses == [TaskStatus.MISSED, TaskStatus.MISSED]
    assert tasks.run(local(2026, 11, 28, 9)).created == []


def test_open_task_of_a_stopped_schedule_can_still_be_done(world):
    point = new_point(world)
    s = schedule(world, point, "day", timezone.now())
    user = world.users["enterprise_manager"]
    tasks.deactivate_schedule(s, actor=user)
    task = CheckTask.objects.get()
    assert tasks.complete(task, {"outcome": "normal"}, actor=user).status == TaskStatus.DONE_NORMAL


def test_reactivate_makes_the_current_task(world):
    point = new_point(world)
    s = schedule(world, point, "day", MONDAY_9)
    user = world.users["enterprise_manager"]
    tasks.deactivate_schedule(s, actor=user)
    # started again the same day: Monday's task (left open) is the day's task, no second one
    tasks.reactivate_schedule(s, actor=user, now=MONDAY_9 + dt.timedelta(hours=2))
    assert CheckTask.objects.count() == 1
    tasks.deactivate_schedule(s, actor=user)
    tasks.run(local(2026, 11, 26, 9))  # stopped over Tuesday and Wednesday: nothing made
    assert CheckTask.objects.count() == 1
    s = tasks.reactivate_schedule(s, actor=user, now=local(2026, 11, 26, 10))
    assert s.active is True
    assert sorted(t.period_start for t in CheckTask.objects.all()) == [
        local(2026, 11, 23),
        local(2026, 11, 26),
    ]
    with pytest.raises(Conflict):
        tasks.reactivate_schedule(s, actor=user)
    actions = AuditEntry.objects.filter(model="checks.checkschedule", action="transition")
    assert [e.after["active"] for e in actions.order_by("id")] == [False, True, False, True]


def test_schedule_actions_on_the_page(world):
    point = new_point(world)
    s = schedule(world, point, "day", timezone.now())
    client = login(world.users["enterprise_manager"])
    html = client.get(f"/risk/{point.pk}/schedules/").content.decode()
    assert f'data-testid="deactivate-{s.pk}"' in html and f'data-testid="edit-{s.pk}"' in html
    response = client.post(f"/risk/schedules/{s.pk}/deactivate/")
    assert response.status_code == 302 and response["Location"] == f"/risk/{point.pk}/schedules/"
    html = client.get(f"/risk/{point.pk}/schedules/").content.decode()
    assert f'data-testid="schedule-state-{s.pk}"><span class="badge text-bg-secondary">已停用<' in html
    assert f'data-testid="reactivate-{s.pk}"' in html
    assert client.post(f"/risk/schedules/{s.pk}/deactivate/").status_code == 409
    assert client.post(f"/risk/schedules/{s.pk}/reactivate/").status_code == 302
    s.refresh_from_db()
    assert s.active is True
    response = client.post(
        f"/risk/schedules/{s.pk}/edit/", {"frequency": "month", "post": "", "content": "查"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写检查岗位" in html and "<details open>" in html
    response = client.post(
        f"/risk/schedules/{s.pk}/edit/", {"frequency": "month", "post": "设备科", "content": "查阀门"}
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert (s.frequency, s.post, s.content) == ("month", "设备科", "查阀门")
    # read-only and out-of-scope users
    grid = login(world.users["grid_worker"])
    assert f'data-testid="deactivate-{s.pk}"' not in grid.get(f"/risk/{point.pk}/schedules/").content.decode()
    assert grid.post(f"/risk/schedules/{s.pk}/deactivate/").status_code == 403
    other = login(world.users["county_office_b"])
    assert other.post(f"/risk/schedules/{s.pk}/deactivate/").status_code == 404
    assert other.post(f"/risk/schedules/{s.pk}/edit/", {"post": "x"}).status_code == 404
    s.refresh_from_db()
    assert s.active is True and s.post == "设备科"


def test_schedule_api(world):
    point = new_point(world)
    s = schedule(world, point, "day", timezone.now())
    client = login(world.users["enterprise_manager"])
    assert client.get(f"{API}/check-schedules/{s.pk}").json()["active"] is True
    response = client.patch(
        f"{API}/check-schedules/{s.pk}", {"content": "检查液位计"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["content"] == "检查液位计"
    assert response.json()["frequency"] == "day"
    response = client.patch(
        f"{API}/check-schedules/{s.pk}", {"frequency": "yearly"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "frequency"
    response = client.post(
        f"{API}/check-schedules/{s.pk}/transitions",
        {"action": "deactivate", "comment": "装置停产"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["active"] is False
    response = client.post(
        f"{API}/check-schedules/{s.pk}/transitions", {"action": "deactivate"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["detail"][0]["code"] == "invalid_state"
    response = client.post(
        f"{API}/check-schedules/{s.pk}/transitions", {"action": "pause"}, content_type="application/json"
    )
    assert response.status_code == 422
    response = client.post(
        f"{API}/check-schedules/{s.pk}/transitions", {"action": "reactivate"}, content_type="application/json"
    )
    assert response.json()["active"] is True
    other = login(world.users["county_office_b"])
    assert other.get(f"{API}/check-schedules/{s.pk}").status_code == 404
    assert (
        other.post(
            f"{API}/check-schedules/{s.pk}/transitions",
            {"action": "deactivate"},
            content_type="application/json",
        ).status_code
        == 404
    )
    grid = login(world.users["grid_worker"])
    response = grid.patch(f"{API}/check-schedules/{s.pk}", {"post": "岗"}, content_type="application/json")
    assert response.status_code == 403


# --- notifications about missed checks -------------------------------------------------------------


def notes(user, prefix=""):
    return list(Notification.objects.filter(user=user, title__startswith=prefix).order_by("id"))


def test_enterprise_notified_once_per_sweep(world):
    tank = new_point(world)
    switch_room = new_point(world, name="配电室", kind="place")
    schedule(world, tank, "day", MONDAY_9)
    schedule(world, tank, "shift", local(2026, 11, 23, 20))
    schedule(world, switch_room, "day", MONDAY_9)
    manager = world.users["enterprise_manager"]
    result = sweep(now=local(2026, 11, 24, 0, 5))  # three tasks of Monday missed
    assert len(result.check_tasks.missed) == 3
    got = notes(manager)
    assert [n.title for n in got] == ["有3项管控检查任务逾期未完成"]
    assert got[0].body == "逾期未完成的管控检查：液氯储罐区（2项）、配电室（1项）"
    assert got[0].url == f"/risk/tasks/missed/?enterprise={world.chem_t1.pk}"
    # the same sweep again: nothing new is missed, nobody hears twice
    assert sweep(now=local(2026, 11, 24, 0, 5)).check_tasks.missed == []
    assert len(notes(manager)) == 1
    # 3 missed within 7 days reaches the default threshold: the supervising department's
    # supervisor of the county (应急管理局, 濂溪区) hears of it, nobody else
    supervisor = world.users["emergency_supervisor"]
    assert [n.title for n in notes(supervisor)] == ["江西化工测试有限公司近7天有3项管控检查任务逾期未完成"]
    for persona in ("housing_supervisor", "county_office", "city_office", "inspector", "county_office_b"):
        assert notes(world.users[persona]) == [], persona


def test_supervisors_notified_at_the_threshold_once_a_day(world, settings):
    point = new_point(world)
    schedule(world, point, "shift", local(2026, 11, 23, 1))  # Monday 00–08 shift
    manager, supervisor = world.users["enterprise_manager"], world.users["emergency_supervisor"]
    sweep(now=local(2026, 11, 23, 8, 5))  # 1st missed
    sweep(now=local(2026, 11, 23, 16, 5))  # 2nd
    assert len(notes(manager)) == 2 and notes(supervisor) == []
    sweep(now=local(2026, 11, 24, 0, 5))  # 3rd: threshold reached
    assert len(notes(manager)) == 3
    assert [n.title for n in notes(supervisor)] == ["江西化工测试有限公司近7天有3项管控检查任务逾期未完成"]
    assert (
        notes(supervisor)[0].body == "提醒阈值：7天内3项。本次新增——逾期未完成的管控检查：液氯储罐区（1项）"
    )
    sweep(now=local(2026, 11, 24, 8, 5))  # 4th, the same day: the enterprise hears, supervisors not again
    assert len(notes(manager)) == 4 and len(notes(supervisor)) == 1
    sweep(now=local(2026, 11, 25, 0, 5))  # 5th (the 08–16 shift), the next day: a new day's reminder
    assert [n.title for n in notes(supervisor)][-1] == "江西化工测试有限公司近7天有5项管控检查任务逾期未完成"
    # the threshold is a setting
    settings.RISK_MISSED_CHECKS_ALERT = 100
    sweep(now=local(2026, 11, 26, 0, 5))
    assert len(notes(supervisor)) == 2


def test_each_enterprise_hears_of_its_own(world):
    from anquan.accounts.services import create_user

    other = create_user(
        actor=None,
        username="jiujiang-fine",
        role="enterprise_manager",
        password=PASSWORD,
        region_code=None,
        department_name=None,
        enterprise_uscc=world.chem_t2.uscc,
    )
    schedule(world, new_point(world), "day", MONDAY_9)
    tasks.add_schedule(
        new_point(world, actor=world.users["inspector"], enterprise=world.chem_t2.uscc, name="精馏塔"),
        {"frequency": "day", "post": "精馏岗", "content": "检查塔压"},
        actor=world.users["inspector"],
        now=MONDAY_9,
    )
    tasks.run(local(2026, 11, 24, 0, 5))
    assert [(n.title, n.body) for n in notes(world.users["enterprise_manager"])] == [
        ("有1项管控检查任务逾期未完成", "逾期未完成的管控检查：液氯储罐区（1项）")
    ]
    assert [(n.title, n.body) for n in notes(other)] == [
        ("有1项管控检查任务逾期未完成", "逾期未完成的管控检查：精馏塔（1项）")
    ]
