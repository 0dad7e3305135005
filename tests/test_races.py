"""Unique-key races (issue #9): many clients creating the same thing at once, over real HTTP with bearer
tokens against the live server. Exactly one is created (201); every other answer is a 409 or 422 in the
API's JSON shape, never a 500, and the losers leave nothing behind (no second audit entry)."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest

from anquan.accounts.models import User
from anquan.core import audit
from anquan.core.models import AuditEntry
from anquan.enterprises import uscc
from anquan.enterprises.models import Enterprise

from .browserless import call, token_for
from .test_transactions import pool_for_readers  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def race(base, token, path, body, n):
    def one(_):
        status, _, answer = call(base, "POST", path, body, token=token)
        return status, json.loads(answer)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def assert_one_winner(answers):
    statuses = [status for status, _ in answers]
    assert statuses.count(201) == 1, statuses
    assert set(statuses) <= {201, 409, 422}, [a for a in answers if a[0] not in (201, 409, 422)]
    for status, answer in answers:
        if status != 201:
            assert answer["detail"][0]["message"], answer  # a Chinese sentence for the client


def test_fifty_same_username_creations_create_one_account(live_server, world, pool_for_readers):  # noqa: F811
    base = live_server.url
    token = token_for(base, "county_office")
    body = {
        "username": "race_user",
        "role": "county_office",
        "password": "Qz8!race-Pass-2026",
        "region": "360402",
    }
    answers = race(base, token, "/api/v1/users", body, 50)
    assert_one_winner(answers)
    assert User.objects.filter(username="race_user").count() == 1
    assert AuditEntry.objects.filter(model="accounts.user", object_repr__contains="race_user").count() <= 1
    assert audit.verify().ok


def test_twenty_same_uscc_creations_create_one_enterprise(live_server, world, pool_for_readers):  # noqa: F811
    base = live_server.url
    token = token_for(base, "county_office")
    code = uscc.make("91", "360402", "77777777")
    body = {
        "name": "竞态测试化工有限公司",
        "uscc": code,
        "region": world.t1.code,
        "industry": "hazardous_chemicals",
    }
    answers = race(base, token, "/api/v1/enterprises", body, 20)
    assert_one_winner(answers)
    assert Enterprise.objects.filter(uscc=code).count() == 1
    created = Enterprise.objects.get(uscc=code)
    assert AuditEntry.objects.filter(model="enterprises.enterprise", object_id=str(created.pk)).count() == 1
    assert audit.verify().ok


def test_twenty_same_uscc_registrations_on_the_page_create_one_enterprise(
    live_server,
    world,
    pool_for_readers,  # noqa: F811
):
    """The registry page as twenty browsers submit it at once: one registration, the others see the form
    with its error or the conflict page (409) — never the 500 page."""
    from .browserless import Session
    from .conftest import PASSWORD

    code = uscc.make("91", "360402", "88888888")
    form = {
        "name": "页面竞态化工有限公司",
        "uscc": code,
        "region": world.t1.code,
        "industry": "hazardous_chemicals",
    }
    browsers = []
    for _ in range(20):
        browser = Session(live_server.url)
        browser.login("county_office", PASSWORD)
        browsers.append((browser, browser.csrf_token("/enterprises/new/")))

    def submit(pair):
        browser, token = pair
        status, _, body = browser.request("POST", "/enterprises/new/", {"csrfmiddlewaretoken": token, **form})
        return status, body.decode()

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(submit, browsers))
    assert {status for status, _ in answers} <= {200, 409}, [a[0] for a in answers]
    assert sum("已被登记" in body or "冲突" in body for _, body in answers) == 19
    assert Enterprise.objects.filter(uscc=code).count() == 1
