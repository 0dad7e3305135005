"""The public venue page a QR code opens: what it shows, the owner's monthly self-check behind the PIN (wrong
PIN refused politely, locked after five, one self-check a month updated by a second), and its throttle."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from anquan.core.models import AuditEntry
from anquan.venues import checklist, public
from anquan.venues.models import SmallVenue, VenueCheck
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _answers(venue, failing=()):
    items = checklist.items_for(venue.kind, timezone.localdate())
    return {f"item_{i.code}": ("no" if i.code in failing else "yes") for i in items}


def test_public_page_shows_the_venue_its_last_check_and_the_tip_off_link(venue):
    page = Client().get(f"/v/{venue.public_code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "老王小吃店" in html and "小餐饮场所" in html and "尚未检查" in html
    assert f'href="/public/tip-offs/new/?venue={venue.public_code}"' in html and "举报隐患" in html
    assert "液化石油气钢瓶" in html  # the kind's own item
    assert venue.owner_phone not in html and "王强" not in html  # no owner's details in public


def test_unknown_or_malformed_codes_are_404(venue):
    client = Client()
    assert client.get("/v/AAAAAAAAAAAA/").status_code == 404
    assert client.get("/v/x/").status_code == 404
    assert client.get(f"/v/{venue.public_code}%00/").status_code == 404


def test_owner_files_the_monthly_self_check_with_the_pin_and_a_second_updates_it(world, venue):
    client = Client()
    url = f"/v/{venue.public_code}/"
    answer = client.post(url, {**_answers(venue, failing={"ebike"}), "pin": venue.pin})
    assert answer.status_code == 302
    done = client.get(answer["Location"]).content.decode()
    assert "自查已提交" in done and "检查发现问题" in done
    venue.refresh_from_db()
    assert venue.last_check_ok is False and venue.last_check_source == "self_check"
    assert venue.last_checked_on == timezone.localdate()
    office = login(world.users["county_office"]).get(f"/venues/{venue.pk}/").content.decode()
    assert 'data-testid="failed-items"' in office and "电动自行车及其蓄电池" in office

    answer = client.post(url, {**_answers(venue), "pin": venue.pin})
    assert answer.status_code == 302
    assert "本月自查结果已更新" in client.get(answer["Location"]).content.decode()
    assert VenueCheck.objects.filter(venue=venue, source="self_check").count() == 1
    venue.refresh_from_db()
    assert venue.last_check_ok is True
    update = AuditEntry.objects.get(model="venues.venuecheck", action="update")
    assert update.comment == "本月再次自查，更新本月自查结果" and update.actor_label == "业主自查"


def test_a_missing_answer_is_named_and_nothing_is_recorded(venue):
    answers = _answers(venue)
    answers.pop("item_exits")
    page = Client().post(f"/v/{venue.public_code}/", {**answers, "pin": venue.pin})
    assert page.status_code == 422 and "请逐项回答" in page.content.decode()
    assert not VenueCheck.objects.exists()


def test_wrong_pin_is_refused_politely_then_locked_after_five(venue):
    client = Client()
    url = f"/v/{venue.public_code}/"
    page = client.post(url, {**_answers(venue), "pin": "000000" if venue.pin != "000000" else "111111"})
    assert page.status_code == 403
    html = page.content.decode()
    assert "密码不正确" in html and "还可再试4次" in html
    for _ in range(4):
        client.post(url, {**_answers(venue), "pin": "99999x"})
    page = client.post(url, {**_answers(venue), "pin": venue.pin})  # even the right PIN waits now
    assert page.status_code == 403 and "密码错误次数过多" in page.content.decode()
    assert not VenueCheck.objects.exists()
    SmallVenue.objects.filter(pk=venue.pk).update(pin_locked_until=timezone.now() - dt.timedelta(seconds=1))
    assert client.post(url, {**_answers(venue), "pin": venue.pin}).status_code == 302


def test_an_imported_venue_has_no_working_pin_until_one_is_issued(world, venue):
    SmallVenue.objects.filter(pk=venue.pk).update(pin_hash="!unusable")
    url = f"/v/{venue.public_code}/"
    assert Client().post(url, {**_answers(venue), "pin": venue.pin}).status_code == 403
    office = login(world.users["county_office"])
    assert office.post(f"/venues/{venue.pk}/pin/").status_code == 302
    copy = office.get(f"/venues/{venue.pk}/owner-copy/").content.decode()
    pin = copy.split('data-testid="owner-pin">')[1][:6]
    assert pin.isdigit()
    assert Client().post(url, {**_answers(venue), "pin": pin}).status_code == 302
    again = office.get(f"/venues/{venue.pk}/owner-copy/").content.decode()
    assert 'data-testid="owner-pin"' not in again  # shown once


def test_the_page_is_throttled_per_address(venue, monkeypatch):
    monkeypatch.setattr(public, "RATE", "3/min")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert client.get(f"/v/{venue.public_code}/").status_code == 200
    page = client.get(f"/v/{venue.public_code}/")
    assert page.status_code == 429 and "请一分钟后再试" in page.content.decode()
    assert Client(REMOTE_ADDR="203.0.113.10").get(f"/v/{venue.public_code}/").status_code == 200
