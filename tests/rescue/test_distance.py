"""The 20 km search (issue #17, Must show): the right depots, nearest first, with distances worked out here from
the haversine formula's own text, one just inside (19.9 km) and one just outside (20.1 km), and one inside the
bounding box's corner but outside the circle."""

import math

import pytest
from django.test import Client

from anquan.rescue import geo
from anquan.rescue.models import SupplyDepot
from anquan.rescue.stock import add_item

pytestmark = pytest.mark.django_db

R = 6371.0088  # km, IUGG mean Earth radius R1
CENTRE = (29.70, 116.00)  # 九江市濂溪区


def haversine(lat1, lng1, lat2, lng2):
    """hav(d/R) = hav(Δφ) + cos φ1 cos φ2 hav(Δλ), hav(θ) = sin²(θ/2): d = 2R·asin(√(…))."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * R * math.asin(math.sqrt(a))


def north(km):
    """The latitude `km` due north of the centre along its meridian (a meridian arc is R·Δφ)."""
    return CENTRE[0] + math.degrees(km / R)


def test_one_degree_of_latitude_is_the_published_111_195_km():
    assert haversine(0, 0, 1, 0) == pytest.approx(111.195, abs=0.0005)
    assert geo.haversine_km(geo.Point(29, 116), geo.Point(30, 116)) == pytest.approx(111.195, abs=0.0005)
    # a published city pair: 北京 (39.9042, 116.4074) – 上海 (31.2304, 121.4737) ≈ 1,067–1,068 km great-circle
    assert geo.haversine_km(geo.Point(39.9042, 116.4074), geo.Point(31.2304, 121.4737)) == pytest.approx(
        1067.6, abs=1
    )


@pytest.fixture
def seeded(make_depot):
    east_12 = CENTRE[1] + 12 / (111.195 * math.cos(math.radians(CENTRE[0])))
    corner = 14.5  # km north and km east: inside the 20 km box, √2·14.5 ≈ 20.5 km away
    corner_lat = north(corner)
    corner_lng = CENTRE[1] + corner / (111.195 * math.cos(math.radians(CENTRE[0])))
    depots = {
        "five_north": make_depot("北五公里物资库", north(5), CENTRE[1]),
        "twelve_east": make_depot("东十二公里物资库", CENTRE[0], east_12),
        "inside": make_depot("南十九点九公里物资库", 2 * CENTRE[0] - north(19.9), CENTRE[1]),
        "outside": make_depot("北二十点一公里物资库", north(20.1), CENTRE[1]),
        "corner": make_depot("东北角物资库", corner_lat, corner_lng),
    }
    expected = {key: haversine(*CENTRE, float(d.latitude), float(d.longitude)) for key, d in depots.items()}
    return depots, expected


def test_the_worked_distances_are_what_the_set_was_built_for(seeded):
    _, km = seeded
    assert km["five_north"] == pytest.approx(5, abs=0.001)
    assert km["twelve_east"] == pytest.approx(12, abs=0.01)
    assert km["inside"] == pytest.approx(19.9, abs=0.001)
    assert km["outside"] == pytest.approx(20.1, abs=0.001)
    assert km["corner"] == pytest.approx(20.5, abs=0.05)


def test_the_search_returns_the_depots_within_20_km_nearest_first(seeded, office):
    depots, km = seeded
    centre = geo.Point(*CENTRE)
    boxed = SupplyDepot.objects.filter(geo.box_filter(centre, 20))
    assert depots["corner"] in boxed and depots["outside"] not in boxed  # the corner passes the SQL prefilter
    found = geo.nearest(SupplyDepot.objects.all(), centre, 20)
    assert [d.pk for d, _ in found] == [depots[k].pk for k in ("five_north", "twelve_east", "inside")]
    for d, distance in found:
        key = next(k for k, v in depots.items() if v.pk == d.pk)
        assert distance == pytest.approx(km[key], abs=1e-6)


def test_the_api_answers_the_same_with_distances(seeded, api_token):
    depots, km = seeded
    client = Client()
    reply = client.get("/api/v1/supply-depots?near=29.70,116.00&within_km=20", **api_token("county_office"))
    assert reply.status_code == 200, reply.content
    items = reply.json()["items"]
    assert [i["name"] for i in items] == ["北五公里物资库", "东十二公里物资库", "南十九点九公里物资库"]
    assert [i["distance_km"] for i in items] == [
        pytest.approx(km[k], abs=0.001) for k in ("five_north", "twelve_east", "inside")
    ]
    wider = client.get("/api/v1/supply-depots?near=29.70,116.00&within_km=20.2", **api_token("county_office"))
    assert [i["name"] for i in wider.json()["items"]][-1] == "北二十点一公里物资库"


def test_the_item_query_keeps_the_depots_holding_it(seeded, office, api_token):
    depots, _ = seeded
    add_item(
        office,
        depots["twelve_east"],
        {"name": "水成膜泡沫灭火剂", "unit": "吨", "quantity": "3", "category": "fire"},
    )
    add_item(
        office, depots["inside"], {"name": "抗溶性泡沫液", "unit": "吨", "quantity": "0"}
    )  # none in stock
    add_item(office, depots["five_north"], {"name": "防化服", "unit": "套", "quantity": "20"})
    reply = Client().get("/api/v1/supply-depots?near=29.70,116.00&item=泡沫", **api_token("county_office"))
    items = reply.json()["items"]
    assert [i["name"] for i in items] == ["东十二公里物资库"]
    assert [s["name"] for s in items[0]["items"]] == ["水成膜泡沫灭火剂"]


def test_teams_are_searched_the_same_way(make_team, api_token):
    make_team("近队", north(3), CENTRE[1])
    make_team("远队", north(25), CENTRE[1])
    reply = Client().get("/api/v1/rescue-teams?near=29.70,116.00", **api_token("county_office"))
    assert [(i["name"], round(i["distance_km"], 3)) for i in reply.json()["items"]] == [("近队", 3.0)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("near=abc", "near"),
        ("near=29.7", "near"),
        ("near=29.7,116,1", "near"),
        ("near=29.7,200", "near"),
        ("near=nan,116", "near"),
        ("near=29.7,116&within_km=0", "within_km"),
        ("near=29.7,116&within_km=-3", "within_km"),
        ("near=29.7,116&within_km=501", "within_km"),
        ("near=29.7,116&within_km=x", "within_km"),
        ("within_km=5", "near"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/supply-depots", "/api/v1/rescue-teams"])
def test_a_bad_near_is_a_422_naming_the_field(world, api_token, path, query, field):
    reply = Client().get(f"{path}?{query}", **api_token("county_office"))
    assert reply.status_code == 422, reply.content
    assert [e["field"] for e in reply.json()["detail"]] == [field]
