"""The public page of a risk point (what its notice card's QR code opens): anyone may read it without an
account; it shows the point's name, level, measures and emergency numbers and nothing else; its address is
a token that cannot be made for another point, not the id; rotating SECRET_KEY keeps posted cards working
while the old key is kept in SECRET_KEY_FALLBACKS."""

import re

import pytest

from anquan.riskpoints import cards
from anquan.riskpoints import services as points
from anquan.riskpoints.tokens import point_id, public_token

from ..browserless import Session
from .helpers import new_point

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def point(world):
    actor = world.users["enterprise_manager"]
    enterprise = world.chem_t1
    enterprise.safety_manager_name, enterprise.safety_manager_phone = "李安全", "13900001111"
    enterprise.principal_phone = "13800009999"
    enterprise.save(update_fields=["safety_manager_name", "safety_manager_phone", "principal_phone"])
    point = new_point(world, location="厂区东侧第三车间", responsible_person="张三")
    points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=actor)
    points.add_measure(
        point, {"kind": "engineering", "tier": "company", "description": "设置紧急切断阀"}, actor=actor
    )
    points.add_measure(
        point, {"kind": "emergency", "tier": "post", "description": "泄漏时疏散下风向人员"}, actor=actor
    )
    point.refresh_from_db()
    return point


def public_path(point) -> str:
    return f"/risk/s/{public_token(point.pk)}/"


def test_a_passer_by_reads_the_point_and_nothing_else(live_server, world, point):
    url = cards.card_data(point, live_server.url + "/")["url"]
    assert url == live_server.url + public_path(point)  # the QR code's address
    assert f"/{point.pk}/" not in url.removeprefix(live_server.url + "/risk/s/")  # not the id
    status, headers, body = Session(live_server.url).request("GET", public_path(point))
    assert status == 200, body[:300]
    page = body.decode()
    for shown in (
        "液氯储罐区",
        "较大风险",
        "设置紧急切断阀（公司级）",
        "泄漏时疏散下风向人员",
        "119",
        "120",
        "13900001111",
    ):
        assert shown in page, shown
    for hidden in (
        world.chem_t1.name,  # whose it is, where, who answers for it, the scores: for the system, not the wall
        world.chem_t1.uscc,
        "13800009999",
        "厂区东侧第三车间",
        "张三",
        "270",
        "LEC",
        "/login/",
        "<form",
    ):
        assert hidden not in page, hidden
    assert headers["X-Robots-Tag"] == "noindex, nofollow" and headers["Referrer-Policy"] == "no-referrer"
    assert "no-cache" in headers["Cache-Control"]


def test_a_forged_or_guessed_token_is_not_found(live_server, world, point):
    other = new_point(world, name="另一个风险点")
    browser = Session(live_server.url)
    token = public_token(point.pk)
    head, mac = token.split("-", 1)
    forged = [
        f"{head}-{mac[:-1]}{'A' if mac[-1] != 'A' else 'B'}",  # one character changed
        f"{public_token(other.pk).split('-', 1)[0]}-{mac}",  # another point's id with this point's code
        str(point.pk),
        head,
        f"{head}-",
        "zzzzzzzzzzzzzzzzzzzzzzzz-" + mac,
        "-" + mac,
    ]
    for bad in forged:
        status, _, body = browser.request("GET", f"/risk/s/{bad}/")
        assert status == 404, bad
        assert "液氯储罐区" not in body.decode(), bad
    assert browser.request("GET", public_path(other))[0] == 200
    assert public_token(point.pk) != public_token(other.pk)
    assert re.fullmatch(r"[0-9a-z]+-[A-Za-z0-9_-]{22}", token)


def test_cards_keep_working_after_the_key_is_rotated(live_server, world, point, settings):
    token = public_token(point.pk)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = old + "-rotated"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert point_id(token) == point.pk
    assert Session(live_server.url).request("GET", f"/risk/s/{token}/")[0] == 200
    settings.SECRET_KEY_FALLBACKS = []  # the old key dropped: the old cards no longer open
    assert point_id(token) is None
    assert Session(live_server.url).request("GET", f"/risk/s/{token}/")[0] == 404


def test_the_point_page_links_to_its_public_page(live_server, world, point):
    """Whoever keeps the point finds, on its page, the public page the card's QR code opens, with that code."""
    from ..conftest import PASSWORD

    office = Session(live_server.url)
    office.login("enterprise_manager", PASSWORD)
    status, _, body = office.request("GET", f"/risk/{point.pk}/")
    assert status == 200
    page = body.decode()
    link = re.search(r'href="([^"]+)" target="_blank" rel="noopener" data-testid="public-page"', page)
    assert link and link.group(1) == cards.card_data(point, live_server.url + "/")["url"]
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"[^>]*data-testid="public-qr"', page)
    status, _, public = Session(live_server.url).request("GET", link.group(1).removeprefix(live_server.url))
    assert status == 200 and "液氯储罐区" in public.decode()  # opens without an account
