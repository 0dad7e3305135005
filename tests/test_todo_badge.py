"""The menu's to-do count comes after the page (docs/adr/0059-to-do-badge-after-the-page.md): a list page is not
held up by counting every module's waiting records; it carries a loader that asks `/todo/badge/`, whose answer fills
the count's places (menu button, to-do entry, a field role's bottom bar). The home and to-do pages, which list the
to-dos anyway, carry the count themselves."""

import re

from .conftest import login
from .test_role_homes import grid_report


def _places(html: str) -> dict[str, str]:
    """Each place of the count → the count it shows ('' when empty)."""
    return {spot: count for spot, count in re.findall(r'<span id="aq-todo-(\w+)"[^>]*>(\d*)</span>', html)}


def test_a_list_page_leaves_the_count_to_its_loader_which_counts_in_scope(world):
    grid_report(world)  # waits for the county and the township of t1
    county = login(world.users["county_office"])
    ledger = county.get("/hazards/").content.decode()
    assert 'data-testid="todo-loader"' in ledger and 'hx-get="/todo/badge/"' in ledger
    assert set(_places(ledger).values()) == {""}  # the places are there, empty until the loader answers
    badge = county.get("/todo/badge/")
    assert badge.status_code == 200 and badge["Cache-Control"] == "private, no-store"
    html = badge.content.decode()
    assert 'data-testid="todo-loaded" data-count="1"' in html
    assert _places(html) == {"toggler": "1", "nav": "1"}  # a desk role has no bottom bar
    assert html.count('hx-swap-oob="true"') == 2
    # the other county has nothing waiting: its places are emptied, not left as they were
    other = login(world.users["county_office_b"]).get("/todo/badge/").content.decode()
    assert 'data-count="0"' in other and _places(other) == {"toggler": "", "nav": ""}


def test_a_field_role_gets_its_bottom_bar_place_filled_too(world):
    html = login(world.users["grid_worker"]).get("/todo/badge/").content.decode()
    assert set(_places(html)) == {"toggler", "nav", "bottom"}


def test_the_home_and_to_do_pages_carry_the_count_themselves(world):
    grid_report(world)
    county = login(world.users["county_office"])
    for url in ("/", "/todo/"):
        html = county.get(url).content.decode()
        assert 'data-testid="todo-loader"' not in html, url
        assert _places(html) == {"toggler": "1", "nav": "1"}, url


def test_a_visitor_or_an_ended_session_gets_nothing_to_swap_in(client):
    response = client.get("/todo/badge/")  # (a redirect would put the login page into the menu)
    assert response.status_code == 204 and response.content == b""
