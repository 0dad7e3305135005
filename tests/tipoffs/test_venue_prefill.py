"""The venue page's "举报隐患" link (/public/tip-offs/new/?venue=<public_code>) over HTTP, as a phone meets it: the
form names the small venue and its address and picks its township, the tip-off sent with the place left blank
records the venue; an unknown code is ignored (the plain form, a tip-off without a venue), never a 500."""

import html
import re

import pytest

from tests.browserless import Session

pytestmark = pytest.mark.django_db(transaction=True)

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')
SELECTED = re.compile(r'<select[^>]*name="region">.*?<option value="(\d+)" selected>', re.S)


def fields_of(page: str) -> dict[str, str]:
    """What the phone's browser sends back unchanged: the post form's hidden fields and chosen township."""
    form = page[page.index('data-testid="tipoff-form"') :]
    sent = {
        name: html.unescape(value) for name, value in HIDDEN.findall(form) if name != "csrfmiddlewaretoken"
    }
    chosen = SELECTED.search(form)
    sent["region"] = chosen.group(1) if chosen else ""
    return sent


def send(browser: Session, path: str, page: str, **filled) -> tuple[int, str]:
    status, _, body = browser.post_form(path, {**fields_of(page), **filled})
    return status, body.decode()


def test_the_venue_code_fills_in_the_place_and_the_tip_off_records_the_venue(live, world):
    from anquan.tipoffs.models import TipOff
    from anquan.venues.services import create_venue

    venue, _ = create_venue(
        world.users["county_office"],
        {
            "kind": "internet_cafe",
            "name": "星空网吧",
            "address": "十里大道66号二楼",
            "region": world.t1.code,
            "owner_name": "张伟",
            "owner_phone": "13800138001",
            "extinguishers": "2",
            "exits": "1",
        },
    )
    browser = Session(live)
    path = f"/public/tip-offs/new/?venue={venue.public_code}"
    status, _, body = browser.request("GET", path)
    page = body.decode()
    assert status == 200
    assert 'data-testid="venue"' in page and "星空网吧" in page and "十里大道66号二楼" in page
    assert fields_of(page)["region"] == world.t1.code  # the venue's township is chosen
    status, after = send(browser, path, page, kind="hazard", description="网吧安全出口被杂物堵塞")
    assert status == 200  # redirected to the status page
    tipoff = TipOff.objects.get()
    assert (tipoff.venue_code, tipoff.venue_name) == (venue.public_code, "星空网吧")
    assert tipoff.region_code == world.t1.code and tipoff.address == "星空网吧（十里大道66号二楼）"
    assert tipoff.tracking_code in after


def test_an_unknown_venue_code_is_ignored_politely(live, world):
    from anquan.tipoffs.models import TipOff

    browser = Session(live)
    path = "/public/tip-offs/new/?venue=NO-SUCH-CODE"
    status, _, body = browser.request("GET", path)
    page = body.decode()
    assert status == 200 and 'data-testid="venue"' not in page and fields_of(page)["region"] == ""
    status, refused = send(browser, path, page, kind="hazard", description="楼道堆放杂物")
    # no township and no place: asked for, field by field
    assert status == 422 and "请选择事发地所在的乡镇（街道）" in refused and "请写明事发地点" in refused
    status, _ = send(
        browser,
        path,
        page,
        kind="hazard",
        description="楼道堆放杂物",
        region=world.t1.code,
        address="幸福路3号",
    )
    assert status == 200
    tipoff = TipOff.objects.get()
    assert (tipoff.venue_code, tipoff.venue_name, tipoff.address) == ("", "", "幸福路3号")
