"""The field side of check tasks and hazard reports as a phone sends them (issue #12 item 3): 异常 with photos
and a location, resent by the offline queue under the same client key; 全部正常 for the tasks the page listed;
the service worker's script; the 我的上报 list (the ledger's found_by filter) and its cards' countdown."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from anquan.checks import services as tasks
from anquan.checks.choices import TaskStatus
from anquan.checks.models import CheckTask
from anquan.hazards import services as reporting
from anquan.hazards.models import Attachment, Hazard
from tests.conftest import login

from ..hazards.conftest import PNG
from ..riskpoints.helpers import new_point

pytestmark = pytest.mark.django_db


def daily_tasks(world, names=("液氯储罐区", "氯化反应釜", "危化品仓库")) -> list[CheckTask]:
    for name in names:
        point = new_point(world, name=name)
        tasks.add_schedule(
            point,
            {"frequency": "day", "post": "巡检岗", "content": "检查液位"},
            actor=world.users["enterprise_manager"],
        )
    return list(CheckTask.objects.order_by("pk"))


def test_abnormal_with_photo_and_location_resent_with_its_key_is_recorded_once(world):
    task = daily_tasks(world, names=("液氯储罐区",))[0]
    client = login(world.users["enterprise_manager"])
    form = {
        "outcome": "hazard",
        "description": "储罐液位计失灵",
        "latitude": "29.661200",
        "longitude": "116.001300",
        "form_key": "phone-key-1",
    }

    def send():
        photo = SimpleUploadedFile("现场.png", PNG, content_type="image/png")
        return client.post(f"/risk/tasks/{task.pk}/complete/", {**form, "photos": photo})

    first, again = send(), send()  # the offline queue resends after a lost answer
    assert first.status_code == again.status_code == 302 and again["Location"] == "/risk/tasks/"
    hazard = Hazard.objects.get()
    assert hazard.description == "储罐液位计失灵" and hazard.risk_point_id == task.point_id
    assert (str(hazard.latitude), str(hazard.longitude)) == ("29.661200", "116.001300")
    assert Attachment.objects.filter(hazard=hazard).count() == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE_HAZARD and task.events.count() == 1


def test_abnormal_without_description_shows_the_error_under_the_field_and_keeps_the_card_open(world):
    task = daily_tasks(world, names=("液氯储罐区",))[0]
    client = login(world.users["enterprise_manager"])
    response = client.post(f"/risk/tasks/{task.pk}/complete/", {"outcome": "hazard", "description": " "})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="error-description">报告隐患须填写隐患描述<' in html
    assert "<details open>" in html and 'data-testid="form-errors"' not in html
    assert not Hazard.objects.exists() and CheckTask.objects.get().status == TaskStatus.OPEN


def test_all_normal_records_only_the_listed_open_tasks(world):
    first, second, third = daily_tasks(world)
    client = login(world.users["enterprise_manager"])
    tasks.complete(first, {"outcome": "normal"}, actor=world.users["enterprise_manager"])  # done elsewhere
    response = client.post("/risk/tasks/all-normal/", {"task": [first.pk, second.pk]})
    assert response.status_code == 302
    statuses = dict(CheckTask.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "done_normal", second.pk: "done_normal", third.pk: "open"}
    assert first.events.count() == 1  # not recorded twice
    page = client.get("/risk/tasks/").content.decode()
    assert "已将 1 项检查记为正常。" in page and "已完成 2/3 项" in page
    # an authority may not: nothing changes
    supervisor = login(world.users["county_office"])
    supervisor.post("/risk/tasks/all-normal/", {"task": [third.pk]})
    assert CheckTask.objects.get(pk=third.pk).status == TaskStatus.OPEN


def test_service_worker_is_served_from_the_root_and_keeps_the_field_pages(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/" and response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    assert '"/hazards/new/"' in body and '"/risk/tasks/"' in body and "/static/js/field.js" in body


def test_my_reports_lists_only_what_i_reported(world):
    grid = world.users["grid_worker"]
    reporting.report_hazard(
        {"region": world.t1.code, "address": "东门", "description": "通道堵塞"}, actor=grid
    )
    reporting.report_hazard(
        {"enterprise": world.chem_t1.uscc, "description": "接地线松脱", "source": "self_check"},
        actor=world.users["enterprise_manager"],
    )
    html = login(grid).get("/hazards/?found_by=grid_worker").content.decode()
    assert "通道堵塞" in html and "接地线松脱" not in html
    assert 'data-testid="ledger-heading">我的上报</h1>' in html
    assert 'type="hidden" name="found_by" value="grid_worker"' in html  # the drawer's filters keep it
    assert "接地线松脱" in login(grid).get("/hazards/").content.decode()


def test_ledger_cards_count_the_days_to_the_deadline(world):
    grid = world.users["grid_worker"]
    today = timezone.localdate()
    made = [
        reporting.report_hazard({"region": world.t1.code, "address": "东门", "description": text}, actor=grid)
        for text in ("过期的", "今天的", "还早的", "已销号的")
    ]
    for hazard, (status, days) in zip(
        made, [("rectifying", -3), ("rectifying", 0), ("confirmed", 2), ("closed", -9)], strict=True
    ):  # deadlines and states as the workflow would have left them
        Hazard.objects.filter(pk=hazard.pk).update(status=status, deadline=today + dt.timedelta(days=days))
    html = login(grid).get("/hazards/").content.decode()
    cards = html[html.index('data-testid="hazard-cards"') : html.index('data-testid="hazard-table"')]
    assert cards.count("超期 3 天") == 1 and cards.count("今天到期") == 1 and cards.count("剩余 2 天") == 1
    assert "超期 9 天" not in cards  # a closed hazard counts nothing
