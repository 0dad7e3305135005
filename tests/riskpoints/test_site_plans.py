"""Site-level four-colour plans: an enterprise uploads its site plan (PNG/JPEG, checked), places its
risk points on it (fractions 0–1, replaced as a set, audited per point), each marker carries the point's
current level, counts by level; supervisors in scope read only, others get 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.riskpoints import services as points
from anquan.riskpoints import site_plans
from anquan.riskpoints.models import PointPlacement, SitePlan
from tests.conftest import login

from .helpers import new_point

API = "/api/v1"

pytestmark = pytest.mark.django_db


def image_bytes(fmt="PNG", size=(400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (240, 240, 240)).save(buffer, fmt)
    return buffer.getvalue()


def png(name="总平面图.png", **kw):
    return SimpleUploadedFile(name, image_bytes(**kw), content_type="image/png")


@pytest.fixture
def manager(world):
    return world.users["enterprise_manager"]


@pytest.fixture
def plan(manager):
    return site_plans.upload_plan({"name": "全厂总平面图"}, png(), actor=manager)


@pytest.fixture
def red_point(world, manager):
    point = new_point(world, name="液氯储罐区")
    points.assess(point, {"method": "LEC", "l": 10, "e": 6, "c": 15}, actor=manager)  # D = 900 ≥ 320: red
    return point


@pytest.fixture
def blue_point(world, manager):
    point = new_point(world, name="配电室", kind="place")
    points.assess(point, {"method": "LEC", "l": 1, "e": 6, "c": 7}, actor=manager)  # D = 42 < 70: blue
    return point


@pytest.fixture
def unassessed_point(world):
    return new_point(world, name="叉车作业", kind="activity")


def put(client, plan_id, placements):
    return client.put(
        f"{API}/site-plans/{plan_id}/placements", {"placements": placements}, content_type="application/json"
    )


# --- uploading -----------------------------------------------------------------------------------


def test_upload_through_the_api_and_get_the_image(world, manager):
    client = login(manager)
    response = client.post(f"{API}/site-plans", {"name": "罐区平面图", "file": png(size=(640, 480))})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["width"], body["height"]) == ("罐区平面图", 640, 480)
    assert body["enterprise"] == world.chem_t1.uscc and body["placements"] == []
    assert body["counts"] == {"red": 0, "orange": 0, "yellow": 0, "blue": 0, "none": 0}
    image = client.get(body["image_url"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")
    plan = SitePlan.objects.get()
    assert plan.region_code == world.chem_t1.region_code and plan.image.name.startswith("site-plans/")
    assert AuditEntry.objects.filter(
        model="riskpoints.siteplan", object_id=str(plan.pk), action="create"
    ).exists()
    listed = client.get(f"{API}/site-plans").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == plan.pk


def test_jpeg_accepted(manager):
    upload = SimpleUploadedFile("plan.jpg", image_bytes("JPEG", (300, 500)), content_type="image/jpeg")
    plan = site_plans.upload_plan({"name": "办公区"}, upload, actor=manager)
    assert (plan.content_type, plan.width, plan.height) == ("image/jpeg", 300, 500)


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf"), "bad_type"),
        (SimpleUploadedFile("plan.webp", b"RIFF\0\0\0\0WEBPVP8 ", content_type="image/webp"), "bad_type"),
        (SimpleUploadedFile("plan.png", image_bytes("JPEG"), content_type="image/png"), "bad_type"),
        (SimpleUploadedFile("plan.txt", b"not an image", content_type="text/plain"), "bad_type"),
        (SimpleUploadedFile("plan.png", b"\x89PNG\r\n\x1a\n broken", content_type="image/png"), "bad_image"),
    ],
    ids=["pdf", "webp", "jpeg-named-png", "text", "broken-png"],
)
def test_upload_refused_by_type(manager, upload, code):
    with pytest.raises(ValidationFailed) as exc:
        site_plans.upload_plan({"name": "平面图"}, upload, actor=manager)
    assert [(e.field, e.code) for e in exc.value.errors] == [("file", code)]
    assert not SitePlan.objects.exists()


def test_upload_refused_by_size_and_name(manager, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    client = login(manager)
    response = client.post(f"{API}/site-plans", {"name": "", "file": png(size=(800, 800))})
    assert response.status_code == 422
    detail = {(d["field"], d["code"]): d["message"] for d in response.json()["detail"]}
    assert set(detail) == {("name", "required"), ("file", "too_large")}
    assert "文件超过" in detail[("file", "too_large")]
    assert not SitePlan.objects.exists()


def test_upload_page_shows_errors_then_uploads(manager):
    client = login(manager)
    html = client.get("/risk/plans/").content.decode()
    assert 'data-testid="form-site-plan"' in html
    response = client.post("/risk/plans/", {"name": "全厂", "file": SimpleUploadedFile("a.pdf", b"%PDF-1")})
    assert response.status_code == 422 and "平面图只能是PNG或JPG图片" in response.content.decode()
    response = client.post("/risk/plans/", {"name": "全厂", "file": png(), "form_key": "k1"})
    plan = SitePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/risk/plans/{plan.pk}/"
    # the same form sent again (weak network) makes no second plan
    assert client.post("/risk/plans/", {"name": "全厂", "file": png(), "form_key": "k1"}).status_code == 302
    assert SitePlan.objects.count() == 1


def test_api_upload_idempotent(manager):
    client = login(manager)
    first = client.post(f"{API}/site-plans", {"name": "全厂", "file": png()}, HTTP_IDEMPOTENCY_KEY="abc")
    again = client.post(f"{API}/site-plans", {"name": "全厂", "file": png()}, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert SitePlan.objects.count() == 1


@pytest.mark.parametrize("persona", ["county_office", "emergency_supervisor", "inspector", "sysadmin"])
def test_only_the_enterprise_uploads(world, persona):
    client = login(world.users[persona])
    response = client.post(f"{API}/site-plans", {"name": "全厂", "file": png()})
    assert response.status_code == 403 and not SitePlan.objects.exists()
    assert 'data-testid="form-site-plan"' not in client.get("/risk/plans/").content.decode()


# --- placing -------------------------------------------------------------------------------------


def test_place_move_remove_with_levels_and_audit(
    world, manager, plan, red_point, blue_point, unassessed_point
):
    client = login(manager)
    response = put(
        client,
        plan.pk,
        [
            {"point": red_point.pk, "x": 0.25, "y": 0.5},
            {"point": blue_point.pk, "x": 0, "y": 1},
            {"point": unassessed_point.pk, "x": 1, "y": 0},
        ],
    )
    assert response.status_code == 200, response.content
    body = response.json()
    got = {p["point"]: (p["x"], p["y"], p["level"]) for p in body["placements"]}
    assert got == {
        red_point.pk: (0.25, 0.5, "red"),
        blue_point.pk: (0.0, 1.0, "blue"),
        unassessed_point.pk: (1.0, 0.0, None),
    }
    assert body["counts"] == {"red": 1, "orange": 0, "yellow": 0, "blue": 1, "none": 1}
    # move the red one, remove the unassessed one, leave the blue one as it is
    response = put(
        client,
        plan.pk,
        [{"point": red_point.pk, "x": 0.75, "y": 0.125}, {"point": blue_point.pk, "x": 0, "y": 1}],
    )
    assert response.status_code == 200
    assert response.json()["counts"] == {"red": 1, "orange": 0, "yellow": 0, "blue": 1, "none": 0}
    assert {(p.point_id, p.x, p.y) for p in PointPlacement.objects.all()} == {
        (red_point.pk, 0.75, 0.125),
        (blue_point.pk, 0.0, 1.0),
    }
    entries = list(AuditEntry.objects.filter(model="riskpoints.pointplacement").order_by("id"))
    assert [e.action for e in entries] == ["create", "create", "create", "delete", "update"]
    moved = entries[-1]
    assert (moved.before["x"], moved.after["x"], moved.after["y"]) == (0.25, 0.75, 0.125)
    assert moved.actor == manager and moved.region_code == world.chem_t1.region_code
    # the level shown is the point's current one: a new assessment recolours its marker
    points.assess(red_point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=manager)  # D = 270: orange
    body = client.get(f"{API}/site-plans/{plan.pk}").json()
    assert {p["point"]: p["level"] for p in body["placements"]}[red_point.pk] == "orange"
    assert body["counts"]["orange"] == 1 and body["counts"]["red"] == 0


@pytest.mark.parametrize(
    ("item", "field", "code"),
    [
        ({"x": 1.5, "y": 0.5}, "placements.0.x", "less_than_equal"),
        ({"x": 0.5, "y": -0.01}, "placements.0.y", "greater_than_equal"),
        ({"x": "NaN", "y": 0.5}, "placements.0.x", "finite_number"),
    ],
)
def test_coordinates_outside_the_plan_refused(manager, plan, red_point, item, field, code):
    response = put(login(manager), plan.pk, [{"point": red_point.pk, **item}])
    assert response.status_code == 422
    assert [(d["field"], d["code"]) for d in response.json()["detail"]] == [(field, code)]
    assert not PointPlacement.objects.exists()


def test_points_of_another_enterprise_or_twice_refused(world, manager, plan, red_point):
    put(login(manager), plan.pk, [{"point": red_point.pk, "x": 0.5, "y": 0.5}])
    foreign = new_point(world, actor=world.users["inspector"], enterprise=world.chem_t2.uscc)
    response = put(
        login(manager),
        plan.pk,
        [{"point": red_point.pk, "x": 0.1, "y": 0.1}, {"point": foreign.pk, "x": 0.2, "y": 0.2}],
    )
    assert response.status_code == 422
    assert [(d["field"], d["code"]) for d in response.json()["detail"]] == [
        ("placements.1.point", "other_enterprise")
    ]
    response = put(login(manager), plan.pk, [{"point": 999999, "x": 0.2, "y": 0.2}])
    assert response.json()["detail"][0]["code"] == "other_enterprise"  # no hint whether it exists
    with pytest.raises(ValidationFailed) as exc:
        site_plans.replace_placements(
            plan,
            [{"point": red_point.pk, "x": 0.1, "y": 0.1}, {"point": red_point.pk, "x": 0.3, "y": 0.3}],
            actor=manager,
        )
    assert exc.value.errors[0].code == "duplicate"
    # nothing of the refused requests was kept
    assert [(p.point_id, p.x, p.y) for p in PointPlacement.objects.all()] == [(red_point.pk, 0.5, 0.5)]


def test_a_point_on_several_plans(manager, plan, red_point):
    other = site_plans.upload_plan({"name": "罐区放大图"}, png(), actor=manager)
    site_plans.replace_placements(plan, [{"point": red_point.pk, "x": 0.1, "y": 0.2}], actor=manager)
    site_plans.replace_placements(other, [{"point": red_point.pk, "x": 0.6, "y": 0.7}], actor=manager)
    assert PointPlacement.objects.filter(point=red_point).count() == 2
    html = login(manager).get(f"/risk/{red_point.pk}/").content.decode()
    assert f'data-testid="on-plan-{plan.pk}"' in html and f'data-testid="on-plan-{other.pk}"' in html


@pytest.mark.parametrize(
    "persona", ["county_office", "emergency_supervisor", "township_office", "city_office"]
)
def test_supervisors_read_only(world, plan, red_point, manager, persona):
    site_plans.replace_placements(plan, [{"point": red_point.pk, "x": 0.4, "y": 0.6}], actor=manager)
    client = login(world.users[persona])
    body = client.get(f"{API}/site-plans/{plan.pk}").json()
    assert body["placements"][0]["level"] == "red"
    assert client.get(body["image_url"]).status_code == 200
    response = put(client, plan.pk, [])
    assert response.status_code == 403
    assert client.post(f"/risk/plans/{plan.pk}/delete/").status_code == 302
    assert PointPlacement.objects.count() == 1 and SitePlan.objects.count() == 1
    html = client.get(f"/risk/plans/{plan.pk}/").content.decode()
    assert f'data-testid="marker-{red_point.pk}"' in html and 'data-level="red"' in html
    assert 'data-testid="edit-plan"' not in html and f'data-testid="remove-{red_point.pk}"' not in html
    with pytest.raises(NotPermitted):
        site_plans.replace_placements(plan, [], actor=world.users[persona])


@pytest.mark.parametrize("persona", ["county_office_b", "housing_supervisor"])
def test_out_of_scope_is_404(world, plan, persona):
    client = login(world.users[persona])
    assert client.get(f"{API}/site-plans/{plan.pk}").status_code == 404
    assert client.get(f"{API}/site-plans/{plan.pk}/image").status_code == 404
    assert put(client, plan.pk, []).status_code == 404
    assert client.get(f"/risk/plans/{plan.pk}/").status_code == 404
    assert client.get(f"{API}/site-plans").json()["count"] == 0
    assert f'data-plan="{plan.pk}"' not in client.get("/risk/plans/").content.decode()


def test_plan_page_markers_legend_and_links(world, manager, plan, red_point, blue_point, unassessed_point):
    site_plans.replace_placements(
        plan,
        [{"point": red_point.pk, "x": 0.25, "y": 0.5}, {"point": unassessed_point.pk, "x": 0.9, "y": 0.1}],
        actor=manager,
    )
    client = login(manager)
    html = client.get(f"/risk/plans/{plan.pk}/").content.decode()
    assert (
        f'data-testid="marker-{red_point.pk}" title="液氯储罐区" style="left:calc(0.250000 * 100%);top:calc(0.500000 * 100%)"'
        in html
    )
    assert f'href="/risk/{red_point.pk}/" data-point="{red_point.pk}" data-level="red"' in html
    assert f'data-point="{unassessed_point.pk}" data-level="none"' in html
    assert f'data-testid="marker-{blue_point.pk}"' not in html  # not placed on this plan
    assert 'data-testid="count-red">1<' in html and 'data-testid="count-none">1<' in html
    assert 'data-testid="count-blue">0<' in html
    assert 'data-testid="count-unplaced">1<' in html
    assert 'data-testid="edit-plan"' in html and f'data-testid="place-{blue_point.pk}"' in html
    listing = client.get("/risk/").content.decode()
    assert f'href="/risk/plans/?enterprise={world.chem_t1.pk}" data-testid="site-plans"' in listing
    assert f'data-plan="{plan.pk}"' in client.get("/risk/plans/").content.decode()
    point_page = client.get(f"/risk/{blue_point.pk}/").content.decode()
    assert f'href="/risk/plans/?enterprise={world.chem_t1.pk}" data-testid="site-plans"' in point_page


def test_delete_plan(manager, plan, red_point, django_capture_on_commit_callbacks):
    site_plans.replace_placements(plan, [{"point": red_point.pk, "x": 0.4, "y": 0.6}], actor=manager)
    storage, name = plan.image.storage, plan.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(manager).post(f"/risk/plans/{plan.pk}/delete/")
    assert response.status_code == 302
    assert not SitePlan.objects.exists() and not PointPlacement.objects.exists()
    actions = list(AuditEntry.objects.filter(action="delete").values_list("model", flat=True))
    assert actions == ["riskpoints.pointplacement", "riskpoints.siteplan"]
    assert red_point.__class__.objects.filter(pk=red_point.pk).exists()  # the point itself stays
    assert not storage.exists(name)  # the image file goes once the deletion is committed
