"""The registry: who registers and sees venues, field-level Chinese errors, the audit, the checklist data and
record_check (the interface the grid patrols call)."""

import datetime as dt

import pytest
from django.contrib.auth.hashers import check_password

from anquan.core.errors import NotPermitted, ValidationFailed
from anquan.core.models import AuditEntry
from anquan.venues import checklist, services
from anquan.venues.models import SmallVenue
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_created_venue_has_unguessable_code_and_only_a_hashed_pin(venue):
    assert len(venue.public_code) >= 12 and venue.public_code.replace("-", "").replace("_", "").isalnum()
    assert len(venue.pin) == 6 and venue.pin.isdigit()
    stored = SmallVenue.objects.get(pk=venue.pk)
    assert venue.pin not in stored.pin_hash and check_password(venue.pin, stored.pin_hash)
    entry = AuditEntry.objects.get(model="venues.smallvenue", object_id=str(venue.pk), action="create")
    assert "pin_hash" not in entry.after and entry.after["name"] == "老王小吃店"
    other, _ = services.create_venue(venue.created_by, {**_raw(venue), "name": "另一家"})
    assert other.public_code != venue.public_code


def _raw(venue):
    return {
        "kind": venue.kind,
        "name": venue.name,
        "address": venue.address,
        "region": venue.region.code,
        "owner_name": venue.owner_name,
        "owner_phone": venue.owner_phone,
    }


def test_bad_input_is_refused_field_by_field_in_chinese(world, venue_raw):
    with pytest.raises(ValidationFailed) as caught:
        services.create_venue(
            world.users["county_office"],
            venue_raw(kind="bar", name="", owner_phone="abc", exits="-1", region="360424", latitude="91"),
        )
    errors = {e.field: e.message for e in caught.value.errors}
    assert errors["kind"].startswith("类别应为：小商店")
    assert errors["name"] == "名称不能为空"
    assert "格式不正确" in errors["owner_phone"]
    assert errors["exits"] == "安全出口（个）应在0到50之间"
    assert errors["region"] == "区域不存在或不在您的管辖范围内"
    assert "纬度" in errors["latitude"]
    assert not SmallVenue.objects.exists()


def test_a_county_region_is_not_a_venue_region_and_a_grid_must_lie_in_its_township(world, venue_raw, grid):
    with pytest.raises(ValidationFailed) as caught:
        services.create_venue(world.users["county_office"], venue_raw(region="360402"))
    assert caught.value.errors[0].message == "请选择乡镇（街道）或村（社区）"
    with pytest.raises(ValidationFailed) as caught:
        services.create_venue(world.users["county_office"], venue_raw(region=world.t2.code, grid=grid.code))
    assert caught.value.errors[0].message == "网格不在所选乡镇（街道）内"


def test_roles_that_may_not_register_are_refused(world, venue_raw):
    with pytest.raises(NotPermitted):
        services.create_venue(world.users["inspector"], venue_raw())


def test_other_county_sees_404_and_own_county_sees_the_venue(world, venue):
    other = login(world.users["county_office_b"])
    for path in (
        f"/venues/{venue.pk}/",
        f"/venues/{venue.pk}/edit/",
        f"/venues/{venue.pk}/qr.png",
        f"/venues/{venue.pk}/owner-copy/",
    ):
        assert other.get(path).status_code == 404, path
    assert venue.name not in other.get("/venues/").content.decode()
    own = login(world.users["township_office"])
    page = own.get("/venues/").content.decode()
    assert venue.name in page
    assert own.get(f"/venues/{venue.pk}/").status_code == 200


def test_edit_page_shows_errors_under_fields_and_saves_audited(world, venue):
    client = login(world.users["county_office"])
    post = {**_raw(venue), "owner_phone": "12", "name": "老王小吃店（新）"}
    answer = client.post(f"/venues/{venue.pk}/edit/", post)
    assert answer.status_code == 422
    assert 'data-testid="error-owner_phone"' in answer.content.decode()
    post["owner_phone"] = "0792-8888888"
    assert client.post(f"/venues/{venue.pk}/edit/", post).status_code == 302
    venue.refresh_from_db()
    assert venue.name == "老王小吃店（新）" and venue.owner_phone == "0792-8888888"
    entry = AuditEntry.objects.get(model="venues.smallvenue", object_id=str(venue.pk), action="update")
    assert entry.after["name"] == "老王小吃店（新）" and "pin_hash" not in entry.before


def test_list_filters_by_kind_and_check_and_refuses_a_bad_filter(world, venue, venue_raw):
    shop, _ = services.create_venue(world.users["county_office"], venue_raw(kind="shop", name="便民小超市"))
    services.record_check(
        shop, on=dt.date.today(), ok=False, source="patrol", actor=world.users["grid_worker"]
    )
    client = login(world.users["county_office"])
    page = client.get("/venues/?kind=shop").content.decode()
    assert "便民小超市" in page and "老王小吃店" not in page
    page = client.get("/venues/?check=unchecked").content.decode()
    assert "老王小吃店" in page and "便民小超市" not in page
    page = client.get("/venues/?check=failed").content.decode()
    assert "便民小超市" in page and "老王小吃店" not in page
    assert client.get("/venues/?kind=bar").status_code == 422


def test_checklist_items_per_kind_come_from_unverified_rule_data():
    today = dt.date.today()
    restaurant = checklist.items_for("small_restaurant", today)
    hotel = checklist.items_for("small_hotel", today)
    assert restaurant[0].code == "management" and any(i.code == "lpg" for i in restaurant)
    assert not any(i.code == "lpg" for i in hotel) and any(i.code == "room_map" for i in hotel)
    assert checklist.version_for(today).verified == "not_found"


def test_record_check_moves_the_last_check_only_forward(world, venue):
    worker = world.users["grid_worker"]
    services.record_check(venue, on=dt.date(2026, 11, 20), ok=True, source="patrol", actor=worker)
    services.record_check(venue, on=dt.date(2026, 11, 2), ok=False, source="patrol", actor=worker)
    venue.refresh_from_db()
    assert (venue.last_checked_on, venue.last_check_ok) == (dt.date(2026, 11, 20), True)
    assert venue.checks.count() == 2
    assert AuditEntry.objects.filter(model="venues.venuecheck").count() == 2


def test_the_phone_card_records_a_registration_once_however_often_the_outbox_sends_it(world, grid):
    client = login(world.users["grid_worker"])
    card = client.get("/venues/quick/").content.decode()
    assert "data-aq-offline" in card and 'value="G-T1-01" selected' in card  # the worker's one grid, chosen
    post = {
        "form_key": "k" * 32,
        "kind": "shop",
        "name": "网格便民店",
        "address": "十里大道3号",
        "region": world.t1.code,
        "grid": grid.code,
        "owner_name": "周八",
        "owner_phone": "13500000000",
        "exits": "1",
        "extinguishers": "1",
    }
    first = client.post("/venues/quick/", post, HTTP_X_AQ_OUTBOX="1")
    again = client.post("/venues/quick/", post, HTTP_X_AQ_OUTBOX="1")
    assert first.status_code == again.status_code == 204
    assert first["X-Aq-Location"] == again["X-Aq-Location"]
    [venue] = SmallVenue.objects.filter(name="网格便民店")
    assert venue.grid == grid and venue.created_by == world.users["grid_worker"]
    refused = client.post("/venues/quick/", {**post, "form_key": "z" * 32, "owner_phone": ""})
    assert refused.status_code == 422 and "联系电话不能为空" in refused.content.decode()


def test_statistics_count_coverage_and_failed_items_of_the_region(world, venue, venue_raw, grid):
    from anquan.venues import stats

    shop, _ = services.create_venue(
        world.users["county_office"], venue_raw(kind="shop", name="便民店", grid=grid.code)
    )
    today = dt.date.today()
    items = [
        {"code": "ebike", "text": "电动自行车", "ok": False},
        {"code": "exits", "text": "出口", "ok": True},
    ]
    services.record_check(
        shop, on=today, ok=False, source="patrol", actor=world.users["grid_worker"], items=items
    )
    services.create_venue(world.users["county_office_b"], venue_raw(region=world.chem_xiushui.region.code))
    summary = stats.summary(world.users["county_office"], "360402")
    assert (summary["venues"], summary["checked_this_month"], summary["coverage"]) == (2, 1, 0.5)
    assert summary["failed_last_check"] == 1
    assert summary["failed_items"] == [{"code": "ebike", "text": "电动自行车", "count": 1}]
    assert {r["key"]: (r["venues"], r["checked"]) for r in summary["by_grid"]} == {
        "": (1, 0),
        "G-T1-01": (1, 1),
    }
    with pytest.raises(ValidationFailed):
        stats.summary(world.users["county_office"], "360424")


def test_the_checklist_rule_reads_on_the_rules_page(world):
    page = login(world.users["sysadmin"]).get("/rules/venues.checklist/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "九小场所消防安全检查项" in html and "小餐饮场所" in html and "液化石油气钢瓶" in html
    assert "small_restaurant" not in html  # the kinds by their Chinese names
