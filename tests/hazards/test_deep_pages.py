"""The ledger at province scale (issue #18, ADR 0049): counts stop at the cap and say so ("20+"), the user still
goes forward past the numbered pages by cursor, a cursor walk returns every row once in the ledger's order (ties
on the found time included), a bad cursor is answered clearly, and the default order is served by its index."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client

from anquan.hazards import services as reporting
from anquan.hazards.models import Hazard

from ..conftest import login
from .conftest import NOW

pytestmark = pytest.mark.django_db

ROWS = 37


@pytest.fixture
def many(world):
    """37 hazards in 濂溪区, three at a time found at the same minute (ties on found_at)."""
    inspector = world.users["inspector"]
    for i in range(ROWS):
        enterprise = world.chem_t1 if i % 2 else world.chem_t2
        raw = {
            "enterprise": enterprise.uscc,
            "source": "inspection",
            "description": f"隐患{i:02d}",
            "found_at": (NOW - dt.timedelta(minutes=i // 3)).isoformat(),
        }
        reporting.report_hazard(raw, actor=inspector, now=NOW)
    return list(Hazard.objects.order_by("-found_at", "-id").values_list("id", flat=True))


def _ids(html: str) -> list[int]:
    table = html.split('data-testid="hazard-table"')[1].split("</table>")[0]
    return [int(pk) for pk in re.findall(r'href="/hazards/(\d+)/"', table)[::2]]


def _pager(html: str) -> str:
    return html.split('data-testid="pager"')[1].split("</nav>")[0]


def _count_text(html: str) -> str:
    return re.search(r'data-testid="pager-count">([^<]*)<', html).group(1)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', _pager(html))
    return found.group(1).replace("&amp;", "&") if found else None


def test_the_pager_at_the_cap_says_so_and_next_goes_on_by_cursor(many, settings):
    settings.LIST_COUNT_CAP = 20
    client = login(many and Hazard.objects.first().found_by)  # the inspector who found them
    first = client.get("/hazards/?size=10").content.decode()
    assert _count_text(first).startswith("共 20+ 条")  # 共 20+ 条: not the 37 there are, and not claiming 20
    assert _ids(first) == many[:10]
    assert "page=2" in _pager(first) and "Last" not in _pager(first) and "末页" not in _pager(first)

    second = client.get("/hazards/?size=10&page=2").content.decode()
    assert _ids(second) == many[10:20]
    following = _link(second, "next")
    assert following and "after=" in following  # the last numbered page goes on by cursor

    seen = _ids(first) + _ids(second)
    page = second
    while following:
        page = client.get(f"/hazards/?{following}").content.decode()
        seen += _ids(page)
        following = _link(page, "next")
    assert seen == many  # every hazard once, in the ledger's order, ties included
    assert len(_ids(page)) == ROWS - 30

    back = client.get(f"/hazards/?{_link(page, 'prev')}").content.decode()
    assert _ids(back) == many[20:30]  # previous by cursor shows the page before


def test_filters_and_other_orders_walk_by_cursor_too(many, settings):
    settings.LIST_COUNT_CAP = 5
    client = login(Hazard.objects.first().found_by)
    expected = list(
        Hazard.objects.filter(enterprise__uscc=Hazard.objects.first().enterprise.uscc)
        .order_by("status", "-found_at", "-id")
        .values_list("id", flat=True)
    )
    query = f"enterprise={Hazard.objects.first().enterprise.uscc}&ordering=status&size=10"
    page = client.get(f"/hazards/?{query}").content.decode()
    seen = _ids(page)
    following = _link(page, "next")
    while following:
        assert f"enterprise={Hazard.objects.first().enterprise.uscc}" in following  # the filter is kept
        page = client.get(f"/hazards/?{following}").content.decode()
        seen += _ids(page)
        following = _link(page, "next")
    assert seen == expected


def test_a_bad_cursor_on_the_page_says_so_and_shows_the_first_page(many):
    client = login(Hazard.objects.first().found_by)
    response = client.get("/hazards/?after=not-a-cursor")
    html = response.content.decode()
    assert response.status_code == 200
    assert "翻页位置无效" in html
    assert _ids(html) == many[:25]


def test_the_api_walks_by_cursor_and_says_whether_the_count_is_exact(many, api_token, settings):
    settings.LIST_COUNT_CAP = 20
    headers = api_token("inspector")
    client = Client()
    body = client.get("/api/v1/hazards?limit=8", **headers).json()
    assert (body["count"], body["count_exact"]) == (20, False)
    seen = [h["id"] for h in body["items"]]
    while body["next"]:
        body = client.get(f"/api/v1/hazards?limit=8&cursor={body['next']}", **headers).json()
        seen += [h["id"] for h in body["items"]]
    assert seen == many
    assert client.get("/api/v1/hazards?limit=8&offset=32", **headers).json()["items"][0]["id"] == many[32]

    settings.LIST_COUNT_CAP = 100
    body = client.get("/api/v1/hazards?limit=50", **headers).json()
    assert (body["count"], body["count_exact"], body["next"]) == (ROWS, True, None)


def test_a_bad_cursor_is_answered_422_naming_the_parameter(many, api_token):
    headers = api_token("inspector")
    client = Client()
    good = client.get("/api/v1/hazards?limit=5", **headers).json()["next"]
    for query, field in (
        ("cursor=%%%", "cursor"),
        ("cursor=eyJvIjpbXX0", "cursor"),  # well-formed, made for no ordering
        (f"cursor={good}&ordering=found", "cursor"),  # made for another ordering
        (f"cursor={good}&ordering=deadline", "cursor"),  # an ordering a cursor cannot walk
        (f"cursor={good}&offset=5", "offset"),
    ):
        response = client.get(f"/api/v1/hazards?{query}", **headers)
        assert response.status_code == 422, query
        assert [e["field"] for e in response.json()["detail"]] == [field], query


def test_every_list_page_caps_its_count(world, settings):
    settings.LIST_COUNT_CAP = 2
    html = login(world.users["province_office"]).get("/enterprises/").content.decode()
    assert _count_text(html).startswith("共 2+ 条")  # four enterprises, counted to the cap


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's plan")
def test_the_default_page_reads_its_index_instead_of_sorting(many, world):
    from anquan.core.scope import restrict

    qs = restrict(Hazard, world.users["province_office"]).order_by("-found_at", "-id")[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        # 37 rows: the planner would rather read and sort them all; with reading-all and sorting priced out, it
        # must find an index that gives the ledger's order (only hazard_found does)
        cursor.execute("ANALYZE hazards_hazard")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "hazard_found" in plan and "Sort" not in plan, plan
