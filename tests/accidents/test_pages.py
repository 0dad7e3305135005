"""Accident pages: record with Chinese errors, register in scope, detail actions."""

import pytest

from anquan.accidents.models import Accident

from ..conftest import login

pytestmark = pytest.mark.django_db


def test_record_through_the_form_and_act_on_it(world):
    client = login(world.users["county_office"])
    bad = client.post("/accidents/new/", {"occurred_at": "2026-11-02T08:15", "category": "", "summary": ""})
    html = bad.content.decode()
    assert "事故类别代码无效" in html and "事故简要经过不能为空" in html and not Accident.objects.exists()
    response = client.post(
        "/accidents/new/",
        {
            "occurred_at": "2026-11-02T08:15",
            "enterprise": world.chem_t1.uscc,
            "category": "WSA10023",
            "deaths": "3",
            "summary": "有限空间作业中毒",
        },
    )
    accident = Accident.objects.get()
    assert response["Location"] == f"/accidents/{accident.pk}/" and accident.grade == "larger"
    page = client.get(f"/accidents/{accident.pk}/").content.decode()
    assert "较大事故" in page and "死亡3人，达到较大事故标准（3人以上）" in page
    client.post(f"/accidents/{accident.pk}/act/", {"action": "start_investigation", "team": "县政府调查组"})
    accident.refresh_from_db()
    assert accident.status == "investigating"
    refused = client.post(
        f"/accidents/{accident.pk}/act/",
        {"action": "late_report", "deaths": "4", "changed_at": "2026-12-20T08:00"},
        follow=True,
    )
    assert "已超过第十三条规定的30日补报期限" in refused.content.decode()


def test_register_is_scoped(world):
    login(world.users["county_office"]).post(
        "/accidents/new/",
        {
            "occurred_at": "2026-11-02T08:15",
            "enterprise": world.chem_t1.uscc,
            "category": "WSA10001",
            "summary": "x",
        },
    )
    accident = Accident.objects.get()
    assert "江西化工测试有限公司" in login(world.users["city_office"]).get("/accidents/").content.decode()
    assert (
        "江西化工测试有限公司"
        not in login(world.users["county_office_b"]).get("/accidents/").content.decode()
    )
    assert login(world.users["county_office_b"]).get(f"/accidents/{accident.pk}/").status_code == 404


def test_edition_mapping_is_editable_by_administrators_and_audited(world):
    from anquan.accidents.models import AccidentCategory
    from anquan.core.models import AuditEntry

    slip = AccidentCategory.objects.get(code="WSA10011")  # 跌落
    assert slip.maps_to.name == "其他伤害"
    refused = login(world.users["county_office"]).post(
        "/accidents/categories/", {"code": "WSA10011", "maps_to": "09"}
    )
    assert refused.status_code == 403
    admin = login(world.users["sysadmin"])
    admin.post("/accidents/categories/", {"code": "WSA10011", "maps_to": "09"})
    slip.refresh_from_db()
    assert slip.maps_to.name == "高处坠落"
    entry = AuditEntry.objects.filter(model="accidents.accidentcategory", object_id=str(slip.pk)).get()
    assert entry.actor_label == "sysadmin" and entry.comment == "GB 6441 版本对照调整"
    assert "高处坠落" in admin.get("/accidents/categories/").content.decode()


def test_photos_of_the_scene_through_the_form_and_the_api(world, api_token):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from ..hazards.conftest import PNG

    client = login(world.users["county_office"])
    client.post(
        "/accidents/new/",
        {
            "occurred_at": "2026-11-02T08:15",
            "enterprise": world.chem_t1.uscc,
            "category": "WSA10001",
            "summary": "x",
            "photos": SimpleUploadedFile("现场.png", PNG),
        },
    )
    accident = Accident.objects.get()
    photo = accident.photos.get()
    assert client.get(f"/accidents/photos/{photo.pk}/").status_code == 200
    assert login(world.users["county_office_b"]).get(f"/accidents/photos/{photo.pk}/").status_code == 404
    headers = api_token("county_office")
    ok = Client().post(
        f"/api/v1/accidents/{accident.pk}/photos", {"file": SimpleUploadedFile("b.png", PNG)}, **headers
    )
    assert ok.status_code == 201
    bad = Client().post(
        f"/api/v1/accidents/{accident.pk}/photos", {"file": SimpleUploadedFile("c.png", b"GIF89a")}, **headers
    )
    assert bad.status_code == 422 and accident.photos.count() == 2
    detail = Client().get(f"/api/v1/accidents/{accident.pk}", **headers).json()
    assert [p["name"] for p in detail["photos"]] == ["现场.png", "b.png"]


def test_a_bad_photo_records_no_accident(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = login(world.users["county_office"]).post(
        "/accidents/new/",
        {
            "occurred_at": "2026-11-02T08:15",
            "enterprise": world.chem_t1.uscc,
            "category": "WSA10001",
            "summary": "x",
            "photos": SimpleUploadedFile("fake.jpg", b"not an image"),
        },
    )
    assert "内容与扩展名不符" in page.content.decode()
    assert not Accident.objects.exists()
