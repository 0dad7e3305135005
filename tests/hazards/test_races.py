"""Two simultaneous requests on one hazard for every step whose status stays the same (request / grant / deny
an extension, listing) and for delisting: exactly one succeeds, the other is a 409 in the API's JSON shape, and
one event row is written.

Each race is one step taken in this process and the same step sent over real HTTP with a bearer token to the
live server, interleaved by `tests.races.interleave`: on PostgreSQL the HTTP request has read the hazard as it
was and passed every check in memory, and is queued on the row when the first commits, so only the
preconditions in the compare-and-set (anquan/hazards/workflow.py) can refuse it."""

import datetime as dt
import json

import pytest
from django.db import connection

from anquan.core.models import AuditEntry
from anquan.hazards import actions, listing
from anquan.hazards.models import Hazard, Listing

from ..browserless import call, token_for
from ..races import interleave
from .conftest import NOW, evidence, inspected

pytestmark = pytest.mark.django_db(transaction=True)


def _api(base, username):
    """POST as `username` over HTTP; the token is issued and used once beforehand, so the raced request
    writes nothing but its step (its `last_used_at` is fresh)."""
    token = token_for(base, username)
    assert call(base, "GET", "/api/v1/hazards?limit=1", token=token)[0] == 200

    def post(path, body):
        status, _, answer = call(base, "POST", path, body, token=token)
        return status, json.loads(answer)

    return post


def _refused_with_409(outcome, code):
    assert outcome.error is None, outcome.error  # the HTTP call itself went through
    status, answer = outcome.value
    assert status == 409, answer
    assert answer["detail"][0]["code"] == code, answer
    assert answer["detail"][0]["message"]  # a Chinese sentence for the client
    return answer


def _rectifying(world):
    return inspected(world, deadline="2026-12-31", description="压力表超期未检")


def _request(hazard, world, until="2027-01-15"):
    return actions.transition(
        hazard,
        "request_extension",
        actor=world.users["enterprise_manager"],
        now=NOW,
        until=until,
        reason="检测机构排期",
    )


def test_two_simultaneous_extension_requests_one_wins_and_the_other_overwrites_nothing(live_server, world):
    hazard = _rectifying(world)
    post = _api(live_server.url, "enterprise_manager")
    first, second = interleave(
        lambda: _request(hazard, world),
        lambda: post(
            f"/api/v1/hazards/{hazard.pk}/transitions",
            {"action": "request_extension", "until": "2027-03-01", "reason": "另一份申请"},
        ),
    )
    assert first.value.extension_requested_until == dt.date(2027, 1, 15)
    answer = _refused_with_409(second, "extension_pending")
    assert "待审批的延期申请" in answer["detail"][0]["message"]
    hazard.refresh_from_db()
    assert (hazard.extension_requested_until, hazard.extension_reason) == (
        dt.date(2027, 1, 15),
        "检测机构排期",
    )
    assert hazard.events.filter(action="request_extension").count() == 1


@pytest.mark.parametrize(
    ("first_step", "second_step"),
    [
        ("grant_extension", "grant_extension"),
        ("deny_extension", "deny_extension"),
        ("grant_extension", "deny_extension"),
    ],
)
def test_two_simultaneous_decisions_on_one_extension_request_one_wins(
    live_server, world, first_step, second_step
):
    hazard = _rectifying(world)
    _request(hazard, world)
    supervisor = world.users["emergency_supervisor"]
    post = _api(live_server.url, "emergency_supervisor")
    fields = {"reason": "不予延期"} if first_step == "deny_extension" else {}
    first, second = interleave(
        lambda: actions.transition(hazard, first_step, actor=supervisor, now=NOW, **fields),
        lambda: post(
            f"/api/v1/hazards/{hazard.pk}/transitions",
            {"action": second_step} | ({"reason": "不予延期"} if second_step == "deny_extension" else {}),
        ),
    )
    _refused_with_409(second, "no_extension_request")
    hazard.refresh_from_db()
    assert hazard.extension_requested_until is None
    assert hazard.deadline == (
        dt.date(2027, 1, 15) if first_step == "grant_extension" else dt.date(2026, 12, 31)
    )
    decisions = hazard.events.filter(action__in=["grant_extension", "deny_extension"])
    assert [e.action for e in decisions] == [first_step]


def _major_rectifying(world):
    return inspected(
        world, deadline="2026-12-31", description="罐区未设置可燃气体检测报警装置", major_item=12
    )


def _list(hazard, world, now=NOW):
    return listing.list_hazard(
        hazard,
        actor=world.users["county_office"],
        level="county",
        authority="濂溪区安委会",
        document_no="濂安督〔2026〕1号",
        deadline="2026-12-31",
        now=now,
    )


def test_two_simultaneous_listings_one_level_lists_the_other_gets_409(live_server, world):
    hazard = _major_rectifying(world)
    post = _api(live_server.url, "city_office")
    first, second = interleave(
        lambda: _list(hazard, world),
        lambda: post(
            f"/api/v1/hazards/{hazard.pk}/listing",
            {
                "level": "city",
                "authority": "九江市安委会",
                "document_no": "九安督〔2026〕7号",
                "deadline": "2027-01-31",
            },
        ),
    )
    _refused_with_409(second, "already_listed")
    hazard.refresh_from_db()
    assert hazard.listed_level == "county"
    assert list(Listing.objects.filter(hazard=hazard).values_list("level", flat=True)) == ["county"]
    assert hazard.events.filter(action="list").count() == 1


def _accepted_and_listed(world):
    hazard = _major_rectifying(world)
    _list(hazard, world)
    manager = world.users["enterprise_manager"]
    actions.transition(
        hazard,
        "submit",
        actor=manager,
        now=NOW,
        evidence="报警装置已安装并联锁",
        attachments=evidence(hazard, manager),
    )
    accepted = actions.transition(
        hazard, "accept_rectification", actor=world.users["emergency_supervisor"], now=NOW
    )
    assert accepted.status == "accepted"  # a listed hazard waits for its delisting
    return accepted


def test_two_simultaneous_delistings_one_closes_the_hazard_the_other_gets_409(live_server, world):
    hazard = _accepted_and_listed(world)
    post = _api(live_server.url, "county_office")
    first, second = interleave(
        lambda: listing.delist(
            hazard, actor=world.users["county_office"], comment="验收合格，予以摘牌", now=NOW
        ),
        lambda: post(f"/api/v1/hazards/{hazard.pk}/delisting", {"text": "同意摘牌"}),
    )
    assert first.value.status == "closed"
    # PostgreSQL: the loser passed its checks on the accepted hazard and its UPDATE matched nothing (stale);
    # SQLite: it waited for the write lock before reading and found the hazard closed
    _refused_with_409(second, "stale" if connection.vendor == "postgresql" else "invalid_state")
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert (hazard.status, hazard.closed_at, hazard.listed_level) == ("closed", NOW, "")
    assert hazard.events.filter(action="delist").count() == 1
    row = Listing.objects.get(hazard=hazard)
    assert (row.delisted_at, row.delist_comment) == (NOW, "验收合格，予以摘牌")
    # the listing row's change is audited once, by the winner
    assert (
        AuditEntry.objects.filter(model="hazards.listing", object_id=str(row.pk), action="update").count()
        == 1
    )


def test_an_acceptance_racing_a_listing_never_closes_a_listed_hazard(live_server, world):
    """Listing keeps the status, so an acceptance queued behind it still matches `submitted` in its UPDATE; it
    must not close a hazard that is now listed (a listed hazard closes only by delisting)."""
    hazard = _major_rectifying(world)
    manager = world.users["enterprise_manager"]
    actions.transition(
        hazard,
        "submit",
        actor=manager,
        now=NOW,
        evidence="报警装置已安装",
        attachments=evidence(hazard, manager),
    )
    post = _api(live_server.url, "emergency_supervisor")
    first, second = interleave(
        lambda: _list(hazard, world),
        lambda: post(f"/api/v1/hazards/{hazard.pk}/transitions", {"action": "accept_rectification"}),
    )
    hazard = Hazard.objects.get(pk=hazard.pk)
    assert hazard.listed_level == "county"
    if connection.vendor == "postgresql":  # the acceptance wrote after the listing: refused, nothing changed
        _refused_with_409(second, "stale")
        assert (
            hazard.status == "submitted" and not hazard.events.filter(action="accept_rectification").exists()
        )
    else:  # SQLite: the acceptance read the listed hazard and left it awaiting delisting
        assert second.value[0] == 200 and second.value[1]["status"] == "accepted"
        assert hazard.status == "accepted" and hazard.closed_at is None


def test_a_grant_raced_by_a_denial_and_a_new_request_never_grants_the_denied_date(live_server, world):
    """The inspector grants the request for 15 January while the supervisor denies it and the enterprise asks
    again for 1 March: the grant read the first request, so it must not land on the second one with the first's
    date (the `expect` on extension_requested_until in actions.transition). One consistent end, no 500, and the
    audit log's last word on the hazard is its final state."""
    hazard = _rectifying(world)
    _request(hazard, world)
    grant = _api(live_server.url, "inspector")  # another account that may decide the request

    def deny_then_ask_again():
        denied = actions.transition(
            hazard, "deny_extension", actor=world.users["emergency_supervisor"], now=NOW, reason="理由不充分"
        )
        return _request(denied, world, until="2027-03-01")

    first, second = interleave(
        deny_then_ask_again,
        lambda: grant(f"/api/v1/hazards/{hazard.pk}/transitions", {"action": "grant_extension"}),
    )
    assert first.value.extension_requested_until == dt.date(2027, 3, 1)
    assert second.error is None, second.error
    status, answer = second.value
    hazard.refresh_from_db()
    steps = list(hazard.events.order_by("id").values_list("action", flat=True))
    if connection.vendor == "postgresql":
        # the grant passed its checks on the first request and queued behind the denial: refused as stale
        assert status == 409 and answer["detail"][0]["code"] == "stale", answer
        assert (hazard.deadline, hazard.extension_requested_until) == (
            dt.date(2026, 12, 31),
            dt.date(2027, 3, 1),
        )
        assert steps[-3:] == ["request_extension", "deny_extension", "request_extension"]
    else:  # SQLite: the grant waited for the lock, then read the new request and granted that one
        assert status == 200, answer
        assert (hazard.deadline, hazard.extension_requested_until) == (dt.date(2027, 3, 1), None)
        assert steps[-4:] == ["request_extension", "deny_extension", "request_extension", "grant_extension"]
    assert hazard.deadline != dt.date(2027, 1, 15)  # never the date that was denied
    last = (
        AuditEntry.objects.filter(model="hazards.hazard", object_id=str(hazard.pk))
        .order_by("seq", "id")
        .last()
    )
    assert last is not None and last.after is not None
    assert str(last.after["deadline"]) == hazard.deadline.isoformat()
    until = hazard.extension_requested_until
    assert last.after.get("extension_requested_until") == (until.isoformat() if until else None)
