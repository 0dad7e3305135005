"""The dispatching officer's search (issue #17): on a 390 px phone the county office types a point and sees the
nearest depot first with its distance; at desktop size the map shows the chosen point, the depots and the teams.
Screenshots: var/screens/rescue-search-phone.png, rescue-search-desk.png."""

from __future__ import annotations

import math

import pytest

pytestmark = [pytest.mark.browser]

R = 6371.0088


def _north(km: float) -> str:
    return f"{29.70 + math.degrees(km / R):.6f}"


@pytest.fixture
def forces(world):
    from anquan.rescue import services, stock

    office = world.users["county_office"]
    located = {
        "address": "濂溪区",
        "longitude": "116.000000",
        "contact_name": "张三",
        "contact_phone": "0792-8000000",
    }
    far = services.create_depot(office, {"name": "十五公里物资库", "latitude": _north(15), **located})
    near = services.create_depot(office, {"name": "五公里物资库", "latitude": _north(5), **located})
    services.create_depot(office, {"name": "三十公里物资库", "latitude": _north(30), **located})
    stock.add_item(office, near, {"name": "泡沫灭火剂", "unit": "吨", "quantity": "3"})
    stock.add_item(office, far, {"name": "泡沫灭火剂", "unit": "吨", "quantity": "8"})
    services.create_team(
        office,
        {
            "name": "危化救援队",
            "kind": "professional",
            "speciality": "hazardous_chemicals",
            "latitude": _north(8),
            **located,
        },
    )


def test_at_phone_size_the_nearest_depot_comes_first_with_its_distance(phone_site, forces):
    page = phone_site.login("county_office")
    page.goto("/rescue/search/")
    page.locator("#s-near").fill("29.70,116.00")
    page.locator("#s-item").fill("泡沫")
    page.get_by_test_id("search-submit").click()
    results = page.get_by_test_id("depot-result")
    results.first.wait_for()
    assert results.count() == 2  # the 30 km depot lies outside the 20 km default
    first = results.first
    assert "五公里物资库" in first.inner_text() and "十五" not in first.inner_text()
    assert first.get_by_test_id("distance").inner_text().startswith("5.0")
    assert results.nth(1).get_by_test_id("distance").inner_text().startswith("15.0")
    assert "泡沫灭火剂 3" in first.inner_text()
    phone_site.screenshot("rescue-search-phone")


def test_at_desktop_size_the_map_shows_the_points(site, forces):
    page = site.login("county_office")
    page.goto("/rescue/search/?near=29.70,116.00&within_km=20")
    page.wait_for_function("() => document.getElementById('rescue-map').dataset.points === '3'")
    assert page.locator("#rescue-map canvas").count() >= 1
    site.screenshot("rescue-search-desk")


def test_an_inspector_on_site_searches_around_the_phone_s_position(phone_site, forces):
    page = phone_site.login("inspector")
    phone_site.context.grant_permissions(["geolocation"])
    phone_site.context.set_geolocation({"latitude": 29.70, "longitude": 116.00})
    page.goto("/")
    page.get_by_test_id("bottom-bar").get_by_role("button").click()  # the phone's menu
    page.locator("#sidebar a[href='/rescue/search/']").click()
    page.get_by_test_id("locate").click()
    page.wait_for_function("() => document.getElementById('s-near').value === '29.700000,116.000000'")
    page.get_by_test_id("search-submit").click()
    teams = page.get_by_test_id("team-results").locator(".card")
    teams.first.wait_for()
    assert "危化救援队" in teams.first.inner_text()
    assert "8.0" in teams.first.inner_text()  # km from the phone's position
