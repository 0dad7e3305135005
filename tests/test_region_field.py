"""The region field reads the same everywhere (anquan/regions/inputs.py): statistics, the risk map, bulletins and
last year's totals answer a region outside the caller's scope, an unknown code or (where it must be chosen) a blank
one with the same field-level Chinese error."""

import pytest

pytestmark = pytest.mark.django_db

OUT = {"field": "region", "code": "out_of_scope", "message": "区域不存在或不在您的管辖范围内"}


def errors(response) -> list[dict]:
    assert response.status_code == 422, (response.status_code, response.content[:300])
    return [{k: e[k] for k in ("field", "code", "message")} for e in response.json()["detail"]]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/stats/hazards?region={}", "/api/v1/stats/accidents?region={}&group_by=region"],
)
def test_statistics_refuse_a_region_outside_the_scope_in_one_way(world, api_token, path):
    from django.test import Client

    county = api_token("county_office")
    for code in ("360424", "999999"):  # another county; no such region
        assert errors(Client().get(path.format(code), **county)) == [OUT]
    assert Client().get(path.format("360402"), **county).status_code == 200


def test_a_bulletin_and_last_years_totals_refuse_a_region_outside_the_scope(world, api_token):
    from django.test import Client

    county = api_token("county_office")
    post = lambda path, body: Client().post(path, body, content_type="application/json", **county)  # noqa: E731
    bulletin = {"kind": "monthly_dispatch", "year": 2026, "month": 10}
    assert OUT in errors(post("/api/v1/bulletins", bulletin | {"region": "360424"}))
    totals = {"year": 2025, "month": 3, "accidents": 1, "deaths": 0}
    assert OUT in errors(post("/api/v1/bulletins/prior-totals", totals | {"region": "360424"}))


def test_the_helper_reads_a_blank_region_as_each_caller_means_it(world):
    from anquan.core.errors import ValidationFailed
    from anquan.regions.inputs import region_field

    county = world.users["county_office"]
    assert region_field("", county).code == "360402"  # statistics, the map: one's own area
    assert region_field(" 360402001 ", county).code == "360402001"
    errors: list = []
    assert region_field("", county, errors, blank="required") is None  # a bulletin, last year's totals
    assert [(e.field, e.code, e.message) for e in errors] == [("region", "required", "请选择区域")]
    assert region_field("", county, [], blank="none") is None  # an accident placed by its enterprise
    with pytest.raises(ValidationFailed):
        region_field("360424", county)
