"""Spot checks of the matrix over a real socket, as a machine client meets them: bearer tokens from
`POST /api/v1/auth/token`, no Django test client. E moves county through the API; the old county's
token gets 404 for E's risk point and photo and a list without them, the new county's token gets them,
an anonymous caller 401; the point's photo answers a browser session by the same rule."""

import json

import pytest

from ..browserless import Session, call, token_for
from ..conftest import PASSWORD, ensure_reference_data
from .world import build


@pytest.fixture
def live(live_server, transactional_db, settings, tmp_path):
    ensure_reference_data()  # a transactional test starts from an emptied database
    settings.MEDIA_ROOT = tmp_path
    world = build()
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save()
    return live_server.url, world


@pytest.mark.django_db(transaction=True)
def test_moving_county_over_http(live):
    base, world = live
    point = world.first("riskpoints.RiskPoint")
    photo = world.first("riskpoints.RiskPointPhoto")
    old, new, province = (token_for(base, f"m_{p}") for p in ("county_a", "county_b", "province"))

    def sees(token) -> tuple[int, bool]:
        status, _, _ = call(base, "GET", f"/api/v1/risk-points/{point.pk}", token=token)
        _, _, body = call(base, "GET", "/api/v1/risk-points?limit=500", token=token)
        return status, point.pk in {item["id"] for item in json.loads(body)["items"]}

    assert sees(old) == (200, True) and sees(new) == (404, False)
    status, _, body = call(
        base,
        "PATCH",
        f"/api/v1/enterprises/{world.enterprise.pk}",
        {"region": world.regions["xs_town"].code},
        province,
    )
    assert status == 200, body
    assert sees(old) == (404, False) and sees(new) == (200, True)
    assert call(base, "GET", f"/api/v1/risk-points/{point.pk}")[0] == 401
    # a write by the old county is the scope's 404 and writes nothing
    status, _, _ = call(
        base, "POST", f"/api/v1/risk-points/{point.pk}/assessments", {"method": "LS", "l": "2", "s": "3"}, old
    )
    assert status == 404 and point.assessments.count() == 1
    # the point's photo follows its point (ScopeSpec through `point__`), for a browser's session as well
    for persona, expected in (("county_a", 404), ("county_b", 200)):
        browser = Session(base)
        browser.login(f"m_{persona}", PASSWORD)
        assert browser.request("GET", f"/risk/photos/{photo.pk}/")[0] == expected, persona
