"""Who sees dispatches and reports (the scope matrix points here for Dispatch, DispatchEvent, TaskReport,
ReportAttachment and Reminder): a dispatch lies in its campaign's region, a report, its attachments and reminders
in their task's unit; another county meets 404 on every page and endpoint that shows them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from anquan.campaigns import dispatching
from anquan.campaigns.models import Dispatch, DispatchEvent, Reminder, ReportAttachment, TaskReport
from anquan.core.scope import restrict

from ..conftest import login
from ..live.conftest import PNG
from .test_dispatch import opened, plan

pytestmark = pytest.mark.django_db


def test_another_county_sees_none_of_a_units_reports_and_reminders(world, api_token):
    p = plan(world)
    dispatch = opened(world, p)
    report, _ = dispatching.submit_report(
        p.lianxi,
        dispatch,
        text="已排查",
        actuals={},
        files=[SimpleUploadedFile("记录.png", PNG)],
        actor=world.users["county_office"],
    )
    dispatching.remind(dispatch, [p.emergency], message="请报送", actor=world.users["city_office"])
    attachment = ReportAttachment.objects.get()

    def seen(persona, model):
        return set(restrict(model, world.users[persona]))

    assert seen("city_office", Dispatch) == {dispatch} and seen("county_office", Dispatch) == set()
    assert seen("city_office", DispatchEvent) == set(dispatch.events.all()) and not seen(
        "county_office_b", DispatchEvent
    )
    assert seen("county_office", TaskReport) == {report} and seen("county_office_b", TaskReport) == set()
    assert seen("county_office", ReportAttachment) == {attachment} and not seen(
        "county_office_b", ReportAttachment
    )
    assert seen("emergency_supervisor", Reminder) == set(Reminder.objects.all())
    assert seen("housing_supervisor", Reminder) == set() and seen("county_office_b", Reminder) == set()

    own, other = login(world.users["county_office"]), login(world.users["county_office_b"])
    assert own.get(f"/dispatches/attachments/{attachment.pk}/").status_code == 200
    for url in (
        f"/dispatches/attachments/{attachment.pk}/",
        f"/dispatches/{dispatch.pk}/tasks/{p.lianxi.pk}/report/",
        f"/dispatches/{dispatch.pk}/tasks/{p.emergency.pk}/report/",  # its reminder
        f"/dispatches/{dispatch.pk}/",
        f"/dispatches/{dispatch.pk}/export.xlsx",
        f"/campaigns/{p.campaign.pk}/dispatches/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/dispatches/{dispatch.pk}/remind/", {"tasks": [p.xiushui.pk]}).status_code == 404
    assert other.post(f"/dispatches/{dispatch.pk}/close/").status_code == 404
    headers = api_token("county_office_b")
    api = other.__class__()
    for url in (
        f"/api/v1/dispatches/{dispatch.pk}",
        f"/api/v1/dispatches/{dispatch.pk}/sheet",
        f"/api/v1/campaign-tasks/{p.lianxi.pk}/reports",
    ):
        assert api.get(url, **headers).status_code == 404, url
    assert api.get("/api/v1/dispatches", **headers).json()["count"] == 0
