"""Bad input over a real socket with a token answers a JSON 4xx naming the field, never a 500, and is
never stored past its limit (issue #9 item 3) — for hazards, accidents, bulletins, enterprises, regions
and the reference lists. Run on PostgreSQL too (`scripts/test tests/test_http_input_limits.py`): there
a 10,000-character value or a NUL byte used to answer 500."""

import datetime as dt
import json
import urllib.parse

import pytest
from django.utils import timezone

from anquan.accidents.models import Accident
from anquan.enterprises.models import Enterprise
from anquan.hazards.models import Hazard, HazardEvent, Listing

from .browserless import call, token_for
from .hazards.conftest import chemical_item

pytestmark = pytest.mark.django_db(transaction=True)

HUGE = "9223372036854775808"  # 2**63: past every integer column
LONG = "长" * 10_000


def _json(body: bytes):
    return json.loads(body)


def _fields(body: bytes) -> set[str]:
    return {d["field"] for d in _json(body)["detail"]}


def _accident(base, token, **extra):
    body = {
        "occurred_at": (timezone.localtime() - dt.timedelta(days=1)).isoformat(),
        "region": "360402",
        "address": "十里大道1号",
        "category": "WSA10023",  # GB 6441-2025: accidents from 2026-07-01
        "summary": "有限空间作业中毒",
        **extra,
    }
    return call(base, "POST", "/api/v1/accidents", body, token=token)


def _hazard(base, token, world, **extra):
    body = {"enterprise": world.chem_t1.uscc, "description": "消防通道堵塞", "source": "inspection", **extra}
    return call(base, "POST", "/api/v1/hazards", body, token=token)


def test_out_of_range_offsets_on_every_list_answer_422(live_server, world):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    status, _, body = _hazard(base, token, world)
    assert status == 201, body
    hazard_id = _json(body)["id"]
    status, _, body = _accident(base, token)
    assert status == 201, body
    accident_id = _json(body)["id"]
    lists = [
        "/api/v1/hazards",
        f"/api/v1/hazards/{hazard_id}/events",
        "/api/v1/judgement-standards",
        "/api/v1/accidents",
        f"/api/v1/accidents/{accident_id}/events",
        "/api/v1/bulletins",
        "/api/v1/enterprises",
        "/api/v1/regions",
        "/api/v1/departments",
        "/api/v1/industries",
    ]
    for path in lists:
        status, _, body = call(base, "GET", path, token=token)
        assert status == 200, (path, body)
        assert set(_json(body)) == {"items", "count", "count_exact", "next"}
        for offset in ("-1", HUGE):
            status, headers, body = call(base, "GET", f"{path}?offset={offset}", token=token)
            assert status == 422, (path, offset, body)
            assert headers["Content-Type"].startswith("application/json")
            assert _fields(body) == {"offset"}
        status, _, body = call(base, "GET", f"{path}?limit={HUGE}", token=token)
        assert status == 422 and _fields(body) == {"limit"}, (path, body)
    for path in (f"/api/v1/hazards/{HUGE}", f"/api/v1/accidents/{HUGE}", f"/api/v1/enterprises/{HUGE}"):
        status, _, body = call(base, "GET", path, token=token)
        assert status == 422, (path, body)


def test_huge_numbers_are_refused_and_nothing_is_stored(live_server, world):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    status, _, body = _accident(base, token, deaths=int(HUGE))
    assert status == 422 and _fields(body) == {"deaths"}, body
    status, _, body = _accident(base, token, serious_injuries=10_001)
    assert status == 422 and _fields(body) == {"serious_injuries"}, body
    raw = (
        b'{"occurred_at": "2026-11-02T08:15:00+08:00", "region": "360402", "address": "x",'
        b' "category": "WSA10023", "summary": "x", "direct_loss_yuan": 1e309}'
    )
    status, _, body = call(base, "POST", "/api/v1/accidents", raw=raw, token=token)
    assert status == 422, body
    for loss in ("1e309", "1000000000000", "-1", "NaN"):
        status, _, body = _accident(base, token, direct_loss_yuan=loss)
        assert status == 422 and _fields(body) == {"direct_loss_yuan"}, (loss, body)
    status, _, body = call(
        base,
        "POST",
        "/api/v1/tools/accident-grade",
        {"deaths": int(HUGE), "serious_injuries": 0, "direct_loss_yuan": "1e309"},
        token=token,
    )
    assert status == 422 and _fields(body) == {"deaths", "direct_loss_yuan"}, body
    assert not Accident.objects.exists()
    # a late report (补报) takes the same limits
    status, _, body = _accident(base, token, deaths=1)
    assert status == 201, body
    accident_id = _json(body)["id"]
    status, _, body = call(
        base,
        "POST",
        f"/api/v1/accidents/{accident_id}/transitions",
        {"action": "late_report", "deaths": int(HUGE)},
        token=token,
    )
    assert status == 422 and _fields(body) == {"deaths"}, body
    assert Accident.objects.get().deaths == 1
    # a hazard's rectification funds
    status, _, body = _hazard(base, token, world)
    hazard_id = _json(body)["id"]
    status, _, body = call(
        base,
        "POST",
        f"/api/v1/hazards/{hazard_id}/transitions",
        {"action": "assign", "responsible_party": "甲", "deadline_working_days": 5, "funds_yuan": "1e309"},
        token=token,
    )
    assert status == 422 and _fields(body) == {"funds_yuan"}, body
    assert Hazard.objects.get().status == "confirmed"


def test_dates_in_year_one_or_9999_are_refused(live_server, world):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    for when in ("0001-01-01T00:00:00", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-05:00"):
        status, _, body = _hazard(base, token, world, found_at=when)
        assert status == 422 and _fields(body) == {"found_at"}, (when, body)
        status, _, body = _accident(base, token, occurred_at=when)
        assert status == 422 and _fields(body) == {"occurred_at"}, (when, body)
    assert not Hazard.objects.exists() and not Accident.objects.exists()
    status, _, body = _hazard(base, token, world, judgement_item=chemical_item(3).pk)
    hazard_id = _json(body)["id"]
    transitions = f"/api/v1/hazards/{hazard_id}/transitions"
    plan = {"action": "assign", "responsible_party": "甲", "measures": "m", "funds_yuan": "1"}
    plan["contingency_plan"] = "p"
    for extra, field in (
        ({"deadline": "0001-01-01"}, "deadline"),
        ({"deadline": "9999-12-31"}, "deadline"),
        ({"deadline_working_days": 5, "deadline_start": "0001-01-01"}, "deadline_start"),
        ({"deadline_working_days": 5, "deadline_start": "9999-12-31"}, "deadline_start"),
    ):
        status, _, body = call(base, "POST", transitions, plan | extra, token=token)
        assert status == 422 and field in _fields(body), (extra, body)
    for deadline in ("0001-01-01", "9999-12-31"):
        status, _, body = call(
            base,
            "POST",
            f"/api/v1/hazards/{hazard_id}/listing",
            {"level": "county", "authority": "濂溪区安委会", "document_no": "1号", "deadline": deadline},
            token=token,
        )
        assert status == 422 and _fields(body) == {"deadline"}, (deadline, body)
    assert not Listing.objects.exists() and Hazard.objects.get().deadline is None
    # statistics and list filters: the plausible window and at most 20 years
    for query in (
        "from=0001-01-01&to=9999-12-31",
        "from=1949-01-01",
        "to=9999-12-31",
        "from=2000-01-01&to=2026-01-01",
    ):
        status, _, body = call(base, "GET", f"/api/v1/stats/accidents?{query}", token=token)
        assert status == 422, (query, body)
        status, _, body = call(base, "GET", f"/api/v1/accidents?{query}", token=token)
        assert status == 422, (query, body)
    status, _, body = call(base, "GET", "/api/v1/stats/accidents?from=2007-01-01&to=2026-11-30", token=token)
    assert status == 200, body
    assert _json(body)["from"] == "2007-01-01"
    for query in ("found_from=0001-01-01", "closed_to=9999-12-31", "found_from=2026-13-01"):
        status, _, body = call(base, "GET", f"/api/v1/hazards?{query}", token=token)
        assert status == 422 and _fields(body) == {query.split("=")[0]}, (query, body)


def test_10000_character_values_are_422_on_both_databases(live_server, world):
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    grid = token_for(base, world.users["grid_worker"].username)
    status, _, body = call(
        base,
        "POST",
        "/api/v1/hazards",
        {"region": world.t1.code, "address": LONG, "description": "液化气瓶露天存放"},
        token=grid,
    )
    assert status == 422 and _fields(body) == {"address"}, body
    for field in ("judgement_note", "found_by_name", "description"):
        status, _, body = _hazard(base, token, world, **{field: LONG * 3})
        assert status == 422 and _fields(body) == {field}, (field, body)
    status, _, body = _accident(base, token, address=LONG)
    assert status == 422 and _fields(body) == {"address"}, body
    assert not Hazard.objects.exists() and not Accident.objects.exists()

    status, _, body = _hazard(base, token, world, judgement_item=chemical_item(3).pk)
    hazard_id = _json(body)["id"]
    listing = {
        "level": "county",
        "authority": LONG,
        "document_no": "濂安督〔2026〕1号",
        "deadline": "2027-01-31",
    }
    status, _, body = call(base, "POST", f"/api/v1/hazards/{hazard_id}/listing", listing, token=token)
    assert status == 422 and _fields(body) == {"authority"}, body
    listing.update(authority="濂溪区安委会", document_no=LONG)
    status, _, body = call(base, "POST", f"/api/v1/hazards/{hazard_id}/listing", listing, token=token)
    assert status == 422 and _fields(body) == {"document_no"}, body
    assert not Listing.objects.exists()
    status, _, body = call(
        base,
        "POST",
        f"/api/v1/hazards/{hazard_id}/transitions",
        {"action": "assign", "responsible_party": LONG, "deadline_working_days": 5},
        token=token,
    )
    assert status == 422 and "responsible_party" in _fields(body), body

    status, _, body = _accident(base, token)
    accident_id = _json(body)["id"]
    status, _, body = call(
        base,
        "POST",
        f"/api/v1/accidents/{accident_id}/transitions",
        {"action": "start_investigation", "team": "调查组", "lead_authority": LONG},
        token=token,
    )
    assert status == 422 and _fields(body) == {"lead_authority"}, body
    assert Accident.objects.get().status == "reported"

    for field in ("name", "address", "legal_representative", "principal_name", "principal_phone"):
        status, _, body = call(
            base, "PATCH", f"/api/v1/enterprises/{world.chem_t1.pk}", {field: LONG}, token=token
        )
        assert status == 422 and _fields(body) == {field}, (field, body)
    assert Enterprise.objects.get(pk=world.chem_t1.pk).name == world.chem_t1.name
    city = token_for(base, world.users["city_office"].username)
    status, _, body = call(
        base,
        "POST",
        "/api/v1/bulletins",
        {"kind": "yearly_evaluation", "region": "360400", "year": 2026, "issue_number": LONG},
        token=city,
    )
    assert status == 422 and _fields(body) == {"issue_number"}, body
    for path in ("/api/v1/hazards?q=", "/api/v1/enterprises?q=", "/api/v1/regions?q="):
        status, _, body = call(base, "GET", path + urllib.parse.quote("长" * 200), token=token)
        assert status == 422 and _fields(body) == {"q"}, (path, body)


def test_nul_in_text_and_search_is_dropped_not_a_server_error(live_server, world):
    """PostgreSQL cannot store NUL in text: the API's parser and the input middleware drop it."""
    base = live_server.url
    token = token_for(base, world.users["county_office"].username)
    status, _, body = _hazard(base, token, world, description="消防\u0000通道堵塞", address="一号\u0000库房")
    assert status == 201, body
    hazard = Hazard.objects.get()
    assert hazard.description == "消防通道堵塞" and hazard.address == "一号库房"
    status, _, body = _accident(base, token, summary="有限空间\u0000作业中毒")
    assert status == 201, body
    assert Accident.objects.get().summary == "有限空间作业中毒"
    status, _, body = call(
        base,
        "POST",
        f"/api/v1/hazards/{hazard.pk}/transitions",
        {"action": "assign", "responsible_party": "甲\u0000乙", "deadline_working_days": 5},
        token=token,
    )
    assert status == 200, body
    assert Hazard.objects.get().responsible_party == "甲乙"
    for path in (
        "/api/v1/hazards?q=%E6%B6%88%E9%98%B2%00",
        "/api/v1/enterprises?q=%00jx",
        "/api/v1/regions?q=%E6%BF%82%00",
        "/api/v1/hazards?enterprise=%00",
        "/api/v1/stats/hazards?region=3604%0002",
        "/api/v1/accidents?region=3604%0002",
        "/api/v1/bulletins?region=%00",
    ):
        status, _, body = call(base, "GET", path, token=token)
        assert status == 200, (path, body)
    status, _, body = call(base, "GET", "/api/v1/hazards?q=%E6%B6%88%E9%98%B2%00", token=token)
    assert _json(body)["count"] == 1
    assert HazardEvent.objects.filter(hazard=hazard).count() == 2
