"""The to-do centre over live HTTP (issue #12, must show): the county official's to-do count, read with a bearer
token from `GET /api/v1/todo`, goes up as grid reports arrive and down as they are accepted (several at once on
the batch page, in a browser session); the grid worker who reported reads on the notifications page what became
of each report at every step, to its close-out."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from ..browserless import Session
from ..conftest import PASSWORD
from .conftest import PNG
from .test_journeys import expect

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1"


def todo(api) -> tuple[int, dict[str, int]]:
    body = expect(api.get(f"{API}/todo"), 200)
    assert set(body) == {"items", "count"}
    assert all(set(i) == {"kind", "label", "count", "url"} for i in body["items"])
    return body["count"], {i["kind"]: i["count"] for i in body["items"]}


def session(live, username) -> Session:
    browser = Session(live)
    browser.login(username, PASSWORD)
    return browser


def page_text(browser: Session, path: str) -> str:
    status, _, body = browser.request("GET", path)
    assert status == 200, (path, status)
    return re.sub(r"<[^>]+>", " ", body.decode())


def test_county_todo_follows_grid_reports_and_the_reporter_hears_each_step(live, world, as_persona):
    grid, county, manager = (
        as_persona("grid_worker"),
        as_persona("county_office"),
        as_persona("enterprise_manager"),
    )
    start, kinds = todo(county)
    assert "hazards.accept" not in kinds

    ids, numbers = [], []
    for n, text in enumerate(["仓库消防通道堆放杂物", "配电箱柜门缺失"], start=1):
        made = expect(
            grid.post(
                f"{API}/hazards",
                {"enterprise": world.chem_t1.uscc, "source": "grid_patrol", "description": text},
            ),
            201,
        )
        ids.append(made["id"])
        numbers.append(made["number"])
        count, kinds = todo(county)
        assert (count, kinds["hazards.accept"]) == (start + n, n)  # each report is waiting at once

    office = session(live, "county_office")
    assert "新上报隐患" in page_text(office, "/notifications/")
    item = next(i for i in expect(county.get(f"{API}/todo"), 200)["items"] if i["kind"] == "hazards.accept")
    listed = page_text(office, item["url"])  # one click from the to-do to the reports, with the batch form
    assert all(number in listed for number in numbers)
    status, _, _ = office.post_form(item["url"], {"ids": [str(pk) for pk in ids], "comment": "已核实"})
    assert status in (200, 302)
    count, kinds = todo(county)
    assert "hazards.accept" not in kinds and kinds["hazards.assign"] >= 2 and count == start + 2
    assert "已处理" in page_text(office, "/notifications/?kind=hazard_accept")  # the notices cleared

    url = f"{API}/hazards/{ids[0]}"
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    expect(
        county.post(
            f"{url}/transitions", {"action": "assign", "responsible_party": "仓储部", "deadline": deadline}
        ),
        200,
    )
    photo = expect(
        manager.call(
            "POST", f"{url}/attachments", form={"stage": "evidence", "file": ("后.png", PNG, "image/png")}
        ),
        201,
    )
    expect(
        manager.post(
            f"{url}/transitions", {"action": "submit", "evidence": "已清理", "attachments": [photo["id"]]}
        ),
        200,
    )
    assert todo(county)[1]["hazards.review"] == 1
    expect(county.post(f"{url}/transitions", {"action": "accept_rectification"}), 200)
    assert "hazards.review" not in todo(county)[1]

    reporter = session(live, "grid_worker")
    feedback = page_text(reporter, "/notifications/?kind=hazard_feedback")
    for number in numbers:  # named by the business number, never the database id
        assert re.search(rf"您上报的隐患{re.escape(number)}（[^）]*）已受理", feedback)
    for step in ("已交办整改", "已整改完毕，等待验收", "整改已验收，已销号"):
        assert re.search(rf"您上报的隐患{re.escape(numbers[0])}（[^）]*）{step}", feedback), step
    assert "隐患#" not in feedback
    assert todo(grid) == (0, {})  # a grid worker accepts nothing: nothing waits for them here
