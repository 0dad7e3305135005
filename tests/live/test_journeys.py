"""What a phone app or a script does, through the live server with bearer tokens (issue #9, must show):
a hazard walked from report to close-out with a photo, an enterprise created and changed, each
calculator under /tools checked against values worked out by hand from its standard, a photo on an
accident, and a retried create that makes one record. No write meets a CSRF refusal."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from .conftest import PNG, Reply

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1"


def expect(reply: Reply, status: int) -> dict:
    """The answer has `status` and is JSON; a CSRF refusal is named as such."""
    assert b"CSRF" not in reply.body, reply.excerpt()
    assert reply.status == status, reply.excerpt()
    assert reply.is_json, reply.excerpt()
    return reply.json() if reply.body else {}


def test_hazard_from_report_to_close_out(world, as_persona):
    grid, county, manager = (
        as_persona("grid_worker"),
        as_persona("county_office"),
        as_persona("enterprise_manager"),
    )
    hazard = expect(
        grid.post(
            f"{API}/hazards",
            {
                "enterprise": world.chem_t1.uscc,
                "source": "grid_patrol",
                "description": "仓库消防通道堆放杂物",
            },
        ),
        201,
    )
    url = f"{API}/hazards/{hazard['id']}"
    assert hazard["status"] == "reported" and hazard["enterprise"] == world.chem_t1.uscc
    assert "accept" in expect(county.get(url), 200)["actions"]

    assert expect(county.post(f"{url}/transitions", {"action": "accept"}), 200)["status"] == "confirmed"
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assigned = expect(
        county.post(
            f"{url}/transitions",
            {"action": "assign", "responsible_party": "仓储部", "deadline": deadline, "measures": "清理杂物"},
        ),
        200,
    )
    assert (assigned["status"], assigned["deadline"], assigned["responsible_party"]) == (
        "rectifying",
        deadline,
        "仓储部",
    )
    assert "submit" in expect(manager.get(url), 200)["actions"]

    photo = expect(
        manager.call(
            "POST", f"{url}/attachments", form={"stage": "evidence", "file": ("整改后.png", PNG, "image/png")}
        ),
        201,
    )
    assert (photo["name"], photo["content_type"], photo["size"]) == ("整改后.png", "image/png", len(PNG))
    submitted = expect(
        manager.post(
            f"{url}/transitions", {"action": "submit", "evidence": "杂物已清理", "attachments": [photo["id"]]}
        ),
        200,
    )
    assert submitted["status"] == "submitted" and submitted["evidence"] == "杂物已清理"

    closed = expect(county.post(f"{url}/transitions", {"action": "accept_rectification"}), 200)
    assert closed["status"] == "closed" and closed["closed_at"] and closed["accepted_by"] == "county_office"
    assert closed["actions"] == []

    events = expect(county.get(f"{url}/events"), 200)["items"]
    moves = [(e["action"], e["to_status"]) for e in events if e["to_status"]]
    assert moves[-4:] == [
        ("accept", "confirmed"),
        ("assign", "rectifying"),
        ("submit", "submitted"),
        ("accept_rectification", "closed"),
    ]
    submit = next(e for e in events if e["action"] == "submit")
    assert submit["attachments"] == [photo["id"]]  # the photo is on the hazard's record
    assert expect(county.get(f"{API}/hazards", status="closed"), 200)["count"] == 1


def test_enterprise_created_and_changed(world, as_persona):
    from anquan.enterprises import uscc

    county = as_persona("county_office")
    code = uscc.make("91", "360402", "00000042")
    created = expect(
        county.post(
            f"{API}/enterprises",
            {
                "name": "濂溪精密机械有限公司",
                "uscc": code,
                "region": world.t1.code,
                "industry": "construction",
            },
        ),
        201,
    )
    assert (created["uscc"], created["region"], created["name"]) == (
        code,
        world.t1.code,
        "濂溪精密机械有限公司",
    )
    url = f"{API}/enterprises/{created['id']}"
    changed = expect(county.patch(url, {"name": "濂溪精密机械股份有限公司", "employee_count": 120}), 200)
    assert changed["name"] == "濂溪精密机械股份有限公司" and changed["employee_count"] == 120
    again = expect(county.get(url), 200)
    assert (
        again["name"] == "濂溪精密机械股份有限公司"
        and again["employee_count"] == 120
        and again["uscc"] == code
    )
    found = expect(county.get(f"{API}/enterprises", q="精密机械"), 200)
    assert [e["id"] for e in found["items"]] == [created["id"]]
    # the enterprise's own manager changes their own record, not another's
    manager = as_persona("enterprise_manager")
    own = expect(manager.patch(f"{API}/enterprises/{world.chem_t1.pk}", {"employee_count": 80}), 200)
    assert own["employee_count"] == 80
    assert manager.patch(url, {"employee_count": 1}).status == 404


# Decree 493 art. 3: an accident takes the highest grade any of deaths, serious injuries or direct loss reaches.
ACCIDENT_GRADES = [
    # 12 serious injuries (10–49) is 较大 though 2 deaths and 300 万 are 一般
    ({"deaths": 2, "serious_injuries": 12, "direct_loss_yuan": "3000000"}, "larger", "较大事故"),
    # 10 deaths (10–29) is 重大
    ({"deaths": 10, "serious_injuries": 0, "direct_loss_yuan": "0"}, "major", "重大事故"),
    # a direct loss of 1 亿 (≥ 1 亿) is 特别重大
    (
        {"deaths": 0, "serious_injuries": 0, "direct_loss_yuan": "100000000"},
        "especially_major",
        "特别重大事故",
    ),
    # 2 deaths, 9 serious injuries, 999 万: every criterion below 较大 — 一般
    ({"deaths": 2, "serious_injuries": 9, "direct_loss_yuan": "9990000"}, "ordinary", "一般事故"),
]

# LEC: D = L × E × C against the default four-colour table (D ≥ 320 red, 160–320 orange, 70–160 yellow);
# LS: R = L × S against the default LS table (R ≥ 17 red, 11–17 orange, 5–11 yellow, < 5 blue).
RISK_SCORES = [
    ({"method": "LEC", "l": 6, "e": 6, "c": 15}, 540, "red"),
    ({"method": "LEC", "l": 3, "e": 6, "c": 7}, 126, "yellow"),
    ({"method": "LS", "l": 3, "s": 4}, 12, "orange"),
    ({"method": "LS", "l": 1, "s": 4}, 4, "blue"),
]


def test_each_calculator_against_the_standard_by_hand(world, as_persona):
    county = as_persona("county_office")
    for body, grade, label in ACCIDENT_GRADES:
        result = expect(county.post(f"{API}/tools/accident-grade", body), 200)
        assert (result["grade"], result["label"]) == (grade, label), body
        assert result["reasons"], body

    # GB 18218-2018 by hand: 氯 Q = 5 t (表1), β = 4 (表3); 氨 Q = 10 t, β = 2; 120 persons exposed →
    # α = 2.0 (表5, 100 人以上). S = 10/5 + 15/10 = 3.5 ≥ 1: a major hazard installation.
    # R = α·Σβq/Q = 2.0 × (4 × 10/5 + 2 × 15/10) = 2.0 × 11 = 22 → 10 ≤ R < 50: 三级 (表6).
    result = expect(
        county.post(
            f"{API}/tools/major-hazard-identification",
            {
                "unit_type": "storage",
                "exposed_persons": 120,
                "substances": [{"name": "氯", "quantity_t": "10"}, {"name": "氨", "quantity_t": "15"}],
            },
        ),
        200,
    )
    assert result["s"] == pytest.approx(3.5) and result["is_major"] is True
    assert (
        result["alpha"] == pytest.approx(2.0) and result["r"] == pytest.approx(22.0) and result["grade"] == 3
    )
    lines = {line["substance"]: line for line in result["lines"]}
    assert lines["氯"]["beta"] == pytest.approx(4) and lines["氨"]["beta"] == pytest.approx(2)
    assert lines["氯"]["ratio"] == pytest.approx(2.0) and lines["氨"]["ratio"] == pytest.approx(1.5)
    # below the threshold: 氯 2 t → S = 2/5 = 0.4, not a major hazard installation, no grade
    small = expect(
        county.post(
            f"{API}/tools/major-hazard-identification",
            {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": "2"}]},
        ),
        200,
    )
    assert small["s"] == pytest.approx(0.4) and small["is_major"] is False and small["grade"] is None

    manager = as_persona("enterprise_manager")
    for body, score, level in RISK_SCORES:
        result = expect(manager.post(f"{API}/tools/risk-assessment", body), 200)
        assert (result["score"], result["level"]) == (pytest.approx(score), level), body
        tables = expect(county.get(f"{API}/tools/risk-band-tables", method=body["method"]), 200)
        assert result["band_table"]["id"] in [t["id"] for t in tables["items"]]


def test_photo_on_an_accident_is_in_its_detail(world, as_persona):
    county = as_persona("county_office")
    occurred = (timezone.now() - dt.timedelta(hours=3)).isoformat()
    accident = expect(
        county.post(
            f"{API}/accidents",
            {
                "occurred_at": occurred,
                "enterprise": world.chem_t1.uscc,
                "category": "WSA10001",
                "summary": "物体打击",
            },
        ),
        201,
    )
    url = f"{API}/accidents/{accident['id']}"
    photo = expect(county.call("POST", f"{url}/photos", form={"file": ("现场.png", PNG, "image/png")}), 201)
    detail = expect(county.get(url), 200)
    assert [(p["id"], p["name"], p["content_type"]) for p in detail["photos"]] == [
        (photo["id"], "现场.png", "image/png")
    ]


def test_retried_create_with_the_same_key_makes_one_record(world, as_persona):
    county = as_persona("county_office")
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"enterprise": world.chem_t1.uscc, "source": "inspection", "description": "配电箱未接地"}
    first = expect(county.call("POST", f"{API}/hazards", json_body=body, headers=key), 201)
    again = expect(county.call("POST", f"{API}/hazards", json_body=body, headers=key), 201)
    assert again["id"] == first["id"]
    assert expect(county.get(f"{API}/hazards", q="配电箱未接地"), 200)["count"] == 1
    other = expect(
        county.call("POST", f"{API}/hazards", json_body=body, headers={"Idempotency-Key": "another"}), 201
    )
    assert other["id"] != first["id"]
    assert expect(county.get(f"{API}/hazards", q="配电箱未接地"), 200)["count"] == 2
