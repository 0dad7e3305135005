"""Risk points: creation, LEC/LS assessment history with the band table version used, the current
level, control measures, who may write, and the enterprise risk level rule."""

import datetime as dt
from decimal import Decimal

import pytest

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.hazards import services as reporting
from anquan.hazards.choices import Status
from anquan.hazards.models import Hazard
from anquan.riskpoints import services as points
from anquan.riskpoints.models import RiskAssessment, RiskPoint
from anquan.standards import assessment, services

from .helpers import new_point

pytestmark = pytest.mark.django_db


def test_create_point_denormalises_scope_and_audits(world):
    point = new_point(world)
    assert point.region_code == world.chem_t1.region_code
    assert point.supervising_department_id == world.chem_t1.supervising_department_id
    assert point.factor_kinds == ["object", "management"]
    assert [c.code for c in point.accident_categories.all()] == ["WSA10009"]
    assert point.current_level == ""
    assert AuditEntry.objects.filter(
        model="riskpoints.riskpoint", object_id=str(point.pk), action="create"
    ).exists()
    # visible to the enterprise and its authorities, not to the other county
    assert RiskPoint.objects.filter(pk=point.pk).exists()
    from anquan.core.scope import restrict

    assert restrict(RiskPoint, world.users["emergency_supervisor"]).filter(pk=point.pk).exists()
    assert not restrict(RiskPoint, world.users["housing_supervisor"]).filter(pk=point.pk).exists()
    assert not restrict(RiskPoint, world.users["county_office_b"]).exists()


def test_create_point_errors_in_chinese(world):
    with pytest.raises(ValidationFailed) as exc:
        new_point(world, name="", kind="room", factor_kinds=["luck"], accident_categories=["01", "WSA99999"])
    fields = {e.field: e.message for e in exc.value.errors}
    assert set(fields) == {"name", "kind", "factor_kinds", "accident_categories"}
    assert "GB 6441-2025" in fields["accident_categories"]
    assert RiskPoint.objects.count() == 0


def test_other_county_enterprise_is_unknown(world):
    with pytest.raises(ValidationFailed) as exc:
        new_point(world, enterprise=world.chem_xiushui.uscc, actor=world.users["county_office"])
    assert exc.value.errors[0].field == "enterprise"


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("enterprise_manager", True),
        ("county_office", True),
        ("township_office", True),
        ("emergency_supervisor", True),
        ("inspector", True),
        ("grid_worker", False),
    ],
)
def test_who_may_write(world, persona, allowed):
    assert points.can_write(world.users[persona], world.chem_t1) is allowed
    assert points.can_write(world.users["county_office_b"], world.chem_t1) is False
    assert points.can_write(world.users["housing_supervisor"], world.chem_t1) is False
    if not allowed:
        with pytest.raises(NotPermitted):
            new_point(world, actor=world.users[persona])
        assert RiskPoint.objects.count() == 0


def test_assessment_history_and_current_level(world):
    point = new_point(world)
    user = world.users["enterprise_manager"]
    first = points.assess(
        point, {"method": "LEC", "l": 3, "e": 6, "c": 15, "next_due": "2031-01-01"}, actor=user
    )
    assert (first.score, first.level) == (Decimal(270), "orange")
    assert first.factors == {"c": "15", "e": "6", "l": "3"}
    assert first.next_due == dt.date(2031, 1, 1)
    point.refresh_from_db()
    assert point.current_level == "orange"
    second = points.assess(point, {"method": "LS", "l": 1, "s": 2, "residual": True}, actor=user)
    assert (second.score, second.level, second.residual) == (Decimal(2), "blue", True)
    point.refresh_from_db()
    assert point.current_level == "blue" == points.latest_level(point)
    assert list(point.assessments.values_list("level", flat=True)) == ["blue", "orange"]
    assert first.band_table == services.active_table("LEC", point.region_code)
    assert second.band_table == services.active_table("LS", point.region_code)
    with pytest.raises(ValueError):
        first.save()  # history is never edited
    assert AuditEntry.objects.filter(model="riskpoints.riskassessment").count() == 2


def test_assessment_errors(world):
    point = new_point(world)
    user = world.users["enterprise_manager"]
    with pytest.raises(ValidationFailed) as exc:
        points.assess(point, {"method": "LEC", "l": 3, "e": 4}, actor=user)
    assert {e.field for e in exc.value.errors} == {"e", "c"}
    with pytest.raises(ValidationFailed) as exc:
        points.assess(point, {"method": "LS", "l": 3, "s": 2, "c": 7}, actor=user)
    assert [(e.field, e.code) for e in exc.value.errors] == [("c", "not_applicable")]
    with pytest.raises(ValidationFailed) as exc:
        points.assess(point, {"method": "ABC"}, actor=user)
    with pytest.raises(ValidationFailed) as exc:
        points.assess(point, {"method": "LS", "l": 1, "s": 1, "next_due": "2000-01-01"}, actor=user)
    assert exc.value.errors[0].field == "next_due"
    with pytest.raises(NotPermitted):
        points.assess(point, {"method": "LS", "l": 1, "s": 1}, actor=world.users["grid_worker"])
    assert RiskAssessment.objects.count() == 0


def test_band_table_version_is_recorded(world):
    point = new_point(world)
    user = world.users["enterprise_manager"]
    old = points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=user)
    national = old.band_table
    assert national.region_code == "" and old.level == "orange"
    # the province adopts stricter bands: 270 is now red
    provincial = services.set_band_table(
        method="LEC",
        region_code="360000",
        code="jx-lec",
        name="江西 LEC",
        source="测试",
        bands=[
            assessment.Band(Decimal(200), None, "red"),
            assessment.Band(Decimal(100), Decimal(200), "orange"),
            assessment.Band(Decimal(50), Decimal(100), "yellow"),
            assessment.Band(Decimal(0), Decimal(50), "blue"),
        ],
        actor=world.users["sysadmin"],
    )
    new = points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=user)
    assert (new.level, new.band_table_id) == ("red", provincial.pk)
    old.refresh_from_db()
    assert (old.level, old.band_table_id) == ("orange", national.pk)  # the old one keeps its table


def test_measures(world):
    point = new_point(world)
    measure = points.add_measure(
        point,
        {
            "kind": "engineering",
            "tier": "workshop",
            "description": "安装气体检测报警仪",
            "responsible_person": "李四",
        },
        actor=world.users["inspector"],
    )
    assert list(point.measures.all()) == [measure]
    with pytest.raises(ValidationFailed) as exc:
        points.add_measure(
            point, {"kind": "magic", "tier": "", "description": ""}, actor=world.users["inspector"]
        )
    assert {e.field for e in exc.value.errors} == {"kind", "tier", "description"}


def _major_hazard(world, status=None):
    hazard = reporting.report_hazard(
        {
            "enterprise": world.chem_t1.uscc,
            "description": "液氯储罐未设置紧急切断装置",
            "level": "major",
            "judgement_note": "化工和危险化学品生产经营单位重大生产安全事故隐患判定标准 第X项",
        },
        actor=world.users["county_office"],
    )
    if status:
        Hazard.objects.filter(pk=hazard.pk).update(status=status)
    return hazard


def test_enterprise_risk_level_rule(world):
    user = world.users["enterprise_manager"]
    assert points.enterprise_risk_level(world.chem_t1) == ""
    a = new_point(world)
    b = new_point(world, name="装卸作业")
    points.assess(a, {"method": "LS", "l": 1, "s": 2}, actor=user)  # blue
    points.assess(b, {"method": "LS", "l": 2, "s": 5}, actor=user)  # yellow
    assert points.enterprise_risk_level(world.chem_t1) == "yellow"  # the highest of the points
    hazard = _major_hazard(world)
    assert hazard.status in {Status.CONFIRMED, Status.REPORTED}
    assert points.enterprise_risk_level(world.chem_t1) == "orange"  # raised by the open major hazard
    points.assess(b, {"method": "LS", "l": 4, "s": 5}, actor=user)  # red
    assert points.enterprise_risk_level(world.chem_t1) == "red"  # never lowered by the rule
    points.assess(b, {"method": "LS", "l": 1, "s": 1}, actor=user)
    Hazard.objects.filter(pk=hazard.pk).update(status=Status.CLOSED)
    assert points.enterprise_risk_level(world.chem_t1) == "blue"
    assert points.enterprise_risk_level(world.chem_t2) == ""


def test_open_major_hazard_without_points_is_orange(world):
    _major_hazard(world)
    assert points.enterprise_risk_level(world.chem_t1) == "orange"


def test_photos_of_a_point(world, api_token, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from anquan.riskpoints.models import RiskPointPhoto

    from ..conftest import login
    from ..hazards.conftest import PNG

    settings.MEDIA_ROOT = tmp_path
    point = new_point(world)
    page = login(world.users["enterprise_manager"])
    response = page.post(
        f"/risk/{point.pk}/photos/",
        {"photos": [SimpleUploadedFile("罐区.png", PNG), SimpleUploadedFile("阀门.png", PNG)]},
    )
    assert response.status_code == 302
    assert [p.name for p in point.photos.all()] == ["罐区.png", "阀门.png"]
    html = page.get(f"/risk/{point.pk}/").content.decode()
    first = point.photos.first()
    assert f"/risk/photos/{first.pk}/" in html
    assert b"".join(page.get(f"/risk/photos/{first.pk}/").streaming_content) == PNG
    # a PDF is no photo; a PNG named .jpg lies about itself: both refused, nothing kept
    refused = page.post(
        f"/risk/{point.pk}/photos/",
        {"photos": [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("台账.pdf", b"%PDF-1.4 x")]},
    )
    assert refused.status_code == 422 and "只能上传照片" in refused.content.decode()
    assert point.photos.count() == 2
    # through the API, and the supervisors of another county never see it
    headers = api_token("inspector")
    created = Client().post(
        f"/api/v1/risk-points/{point.pk}/photos", {"file": SimpleUploadedFile("现场.png", PNG)}, **headers
    )
    assert created.status_code == 201 and created.json()["content_type"] == "image/png"
    detail = Client().get(f"/api/v1/risk-points/{point.pk}", **headers).json()
    assert [p["name"] for p in detail["photos"]] == ["罐区.png", "阀门.png", "现场.png"]
    lying = Client().post(
        f"/api/v1/risk-points/{point.pk}/photos", {"file": SimpleUploadedFile("现场.jpg", PNG)}, **headers
    )
    assert lying.status_code == 422 and lying.json()["detail"][0]["field"] == "file"
    assert login(world.users["county_office_b"]).get(f"/risk/photos/{first.pk}/").status_code == 404
    grid = Client().post(
        f"/api/v1/risk-points/{point.pk}/photos",
        {"file": SimpleUploadedFile("x.png", PNG)},
        **api_token("grid_worker"),
    )
    assert grid.status_code == 403
    assert (
        AuditEntry.objects.filter(model="riskpoints.riskpointphoto").count()
        == RiskPointPhoto.objects.count()
        == 3
    )
