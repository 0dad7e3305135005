"""Scope of plans, their documents and events, drills and drill files (ADR 0007): the enterprise's own managers, the
county's office and the department the plan is filed with see them; another county's office and another department
get 404 on every page and API route and do not find them in lists; nobody out of scope changes anything."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from anquan.emergency import actions
from anquan.emergency.models import EmergencyPlan
from tests.conftest import login

from .helpers import drill, new_plan

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00"
    b"\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_every_route_keeps_to_scope(world, api_token):
    manager = world.users["enterprise_manager"]
    plan = new_plan(manager, published_on=dt.date(2026, 1, 5), title="范围测试综合应急预案")
    doc = actions.add_document(plan, SimpleUploadedFile("预案.pdf", PDF, "application/pdf"), actor=manager)
    actions.transition(plan, "submit", actor=manager)
    d = drill(EmergencyPlan.objects.get(pk=plan.pk), manager, dt.date(2026, 2, 1))
    photo = actions.add_drill_file(d, SimpleUploadedFile("现场.png", PNG, "image/png"), actor=manager)
    pages = [
        f"/emergency/plans/{plan.pk}/",
        f"/emergency/plans/{plan.pk}/drills/new/",
        f"/emergency/documents/{doc.pk}/",
        f"/emergency/drills/{d.pk}/",
        f"/emergency/drill-files/{photo.pk}/",
    ]
    apis = [
        f"/api/v1/emergency-plans/{plan.pk}",
        f"/api/v1/emergency-plans/{plan.pk}/transitions",
        f"/api/v1/drills/{d.pk}",
    ]
    for persona in ("enterprise_manager", "county_office", "emergency_supervisor", "city_office"):
        client = login(world.users[persona])
        assert [client.get(u).status_code for u in pages] == [200] * 5, persona
        token = api_token(persona)
        assert [Client().get(u, **token).status_code for u in apis] == [200] * 3, persona
        assert "范围测试综合应急预案" in client.get("/emergency/plans/").content.decode()
    for persona in ("county_office_b", "housing_supervisor"):
        client = login(world.users[persona])
        assert [client.get(u).status_code for u in pages] == [404] * 5, persona
        token = api_token(persona)
        assert [Client().get(u, **token).status_code for u in apis] == [404] * 3, persona
        assert "范围测试综合应急预案" not in client.get("/emergency/plans/").content.decode()
        assert Client().get("/api/v1/emergency-plans", **token).json()["count"] == 0
        assert Client().get("/api/v1/drills", **token).json()["count"] == 0
        write = Client().post(
            f"/api/v1/emergency-plans/{plan.pk}/transitions",
            {"action": "file", "record_number": "X"},
            content_type="application/json",
            **token,
        )
        assert write.status_code == 404
        page_write = client.post(
            f"/emergency/plans/{plan.pk}/transitions/", {"action": "file", "record_number": "X"}
        )
        assert page_write.status_code == 404
    assert EmergencyPlan.objects.get(pk=plan.pk).status == "submitted"
    # the grid worker and the inspector have no emergency pages at all
    assert login(world.users["grid_worker"]).get("/emergency/plans/").status_code == 404
