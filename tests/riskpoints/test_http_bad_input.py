"""The risk API's answers to bad input, over a real socket with a bearer token (issue #9 items 3 and 7):
every refusal a 4xx JSON `{"detail": [{"field", "code", "message"}]}` naming the field, never a 500,
never a half-written row, on SQLite and PostgreSQL alike (`scripts/test tests/riskpoints/test_http_bad_input.py`).

Each test walks many operations on one live server (a transactional test reloads the reference data,
so they are grouped) and reports every operation that answered otherwise, not just the first."""

import io
import json
import re
import urllib.parse
import uuid

import pytest
from PIL import Image

from anquan.checks import services as tasks
from anquan.checks.models import CheckSchedule, CheckTask
from anquan.majorhazards.models import MajorHazardInstallation
from anquan.riskpoints import services as points
from anquan.riskpoints import site_plans
from anquan.riskpoints.models import RiskAssessment, RiskPoint, SitePlan
from anquan.riskreports.models import RiskReport
from anquan.standards.models import RiskBandTable, RiskMapRule
from tests.browserless import call, token_for

from .helpers import REFERENCE_INSTALLATION, new_point

pytestmark = pytest.mark.django_db(transaction=True)

API = "/api/v1"
LONG = "危" * 10_000  # 10,000 characters: past every column of the risk app
HUGE = "9223372036854775808"  # 2**63: one past a bigint
CJK = re.compile(r"[\u4e00-\u9fff]")  # every message a client reads is Chinese
LONG_QUERY = "9" * 2000  # a query value far past any code or USCC (a URL stays under the server's limit)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (240, 240, 240)).save(buffer, "PNG")
    return buffer.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None):
    """(body, content type) of a multipart/form-data request, as a browser or curl -F sends it."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data, content_type) in (files or {}).items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Api:
    """A persona's client: JSON in, (status, parsed JSON) out; the answer must always be JSON."""

    def __init__(self, base: str, username: str):
        self.base, self.token = base, token_for(base, username)

    def __call__(self, method: str, path: str, body=None, *, raw: bytes | None = None, content_type=None):
        path = urllib.parse.quote(path, safe="/?=&")  # the 10,000 Chinese characters of LONG, encoded
        kwargs = {"token": self.token, "raw": raw}
        if content_type:
            kwargs["content_type"] = content_type
        status, headers, data = call(self.base, method, API + path, body, **kwargs)
        assert headers["Content-Type"].startswith("application/json"), (method, path, status, data[:200])
        return status, json.loads(data)


def fields_of(body) -> set[str]:
    """The fields named by a refusal, each also by its first part (`file.file` names `file`)."""
    if not isinstance(body.get("detail"), list):
        return set()
    return {d["field"] for d in body["detail"]} | {d["field"].split(".")[0] for d in body["detail"]}


def refused(api: Api, method: str, path: str, body=None, *, field: str, status=422, **raw) -> str | None:
    """None if `method path` answered `status` naming `field`, else a line saying what it did."""
    got, answer = api(method, path, body, **raw)
    plain = isinstance(answer.get("detail"), str)  # 401/404/413/415/503 carry a message, no field
    messages = [answer["detail"]] if plain else [d["message"] for d in answer.get("detail", [])]
    chinese = all(CJK.search(m) and " or " not in m for m in messages)
    if got == status and chinese and (field in fields_of(answer) or (plain and not field)):
        return None
    return f"{method} {path[:80]} → {got} {json.dumps(answer, ensure_ascii=False)[:160]} (wanted {status} on {field})"


@pytest.fixture
def scene(world):
    """A risk point with an assessment, a check schedule with today's open task, a major hazard
    installation, a draft risk report and a site plan, all of 江西化工 (chem_t1)."""
    manager = world.users["enterprise_manager"]
    point = new_point(world)
    points.assess(point, {"method": "LEC", "l": 3, "e": 6, "c": 15}, actor=manager)
    schedule = tasks.add_schedule(
        point, {"frequency": "day", "post": "巡检岗", "content": "阀门"}, actor=manager
    )
    task = CheckTask.objects.get(schedule=schedule)
    from anquan.majorhazards import services as installations
    from anquan.riskreports import actions as reports

    installation = installations.create_installation(dict(REFERENCE_INSTALLATION), actor=manager)
    report = reports.create_report({"year": reports.year_choices()[0]}, actor=manager)
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = site_plans.upload_plan(
        {"name": "总平面图"}, SimpleUploadedFile("p.png", png(), content_type="image/png"), actor=manager
    )
    return {
        "point": point,
        "schedule": schedule,
        "task": task,
        "installation": installation,
        "report": report,
        "plan": plan,
    }


def counts() -> dict[str, int]:
    models = (RiskPoint, RiskAssessment, CheckSchedule, MajorHazardInstallation, RiskReport, SitePlan)
    return {m.__name__: m.objects.count() for m in (*models, RiskBandTable, RiskMapRule)}


def lists(scene) -> list[str]:
    point = scene["point"].pk
    return [
        "/risk-points",
        f"/risk-points/{point}/assessments",
        f"/risk-points/{point}/check-schedules",
        "/major-hazard-installations",
        "/check-tasks",
        "/stats/check-tasks",
        "/risk-reports",
        "/site-plans",
        "/tools/risk-band-tables",
        "/tools/risk-map-rules",
    ]


def test_every_risk_list_refuses_offsets_and_limits_out_of_range(live_server, world, scene):
    api = Api(live_server.url, "county_office")
    failures = []
    for path in lists(scene):
        status, body = api("GET", path + "?limit=1&offset=0")
        if status != 200 or set(body) < {"items", "count"} or len(body["items"]) > 1:
            failures.append(f"GET {path} → {status} {str(body)[:120]}")
        for query, field in (
            ("offset=-1", "offset"),
            (f"offset={HUGE}", "offset"),
            ("offset=1000001", "offset"),
            ("limit=0", "limit"),
            ("limit=501", "limit"),
            (f"limit={HUGE}", "limit"),
            ("offset=abc", "offset"),
        ):
            failures.append(refused(api, "GET", f"{path}?{query}", field=field))
    assert [f for f in failures if f] == []


def test_invalid_filter_values_are_422_naming_the_parameter(live_server, world, scene):
    api = Api(live_server.url, "county_office")
    point = scene["point"].pk
    cases = [
        ("/risk-points?level=purple", "level"),
        ("/risk-points?due=someday", "due"),
        ("/risk-points?measures=all", "measures"),
        ("/risk-points?region=36040", "region"),
        ("/risk-points?enterprise=91360402", "enterprise"),
        (f"/risk-points?enterprise={LONG_QUERY}", "enterprise"),
        ("/major-hazard-installations?grade=9", "grade"),
        (f"/major-hazard-installations?grade={HUGE}", "grade"),
        ("/major-hazard-installations?is_major=maybe", "is_major"),
        ("/major-hazard-installations?region=abc", "region"),
        ("/check-tasks?status=late", "status"),
        (f"/check-tasks?point={HUGE}", "point"),
        ("/check-tasks?point=0", "point"),
        ("/check-tasks?from=2026-02-30", "from"),
        ("/stats/check-tasks?group_by=region", "group_by"),
        ("/stats/check-tasks?enterprise=x", "enterprise"),
        ("/risk-reports?status=lost", "status"),
        ("/risk-reports?region=x", "region"),
        ("/stats/risk-report-coverage?sector=farming", "sector"),
        ("/stats/risk-report-coverage?region=1", "region"),
        ("/stats/risk-map?region=abc", "region"),
        (f"/stats/risk-map?region={LONG_QUERY}", "region"),
        ("/site-plans?enterprise=nope", "enterprise"),
        ("/tools/risk-band-tables?method=XYZ", "method"),
        ("/tools/risk-band-tables?region=360402", "region"),
        ("/tools/risk-map-rules?include_inactive=perhaps", "include_inactive"),
        (f"/risk-points/{HUGE}", "point_id"),
        (f"/risk-points/{point}/assessments?offset=-5", "offset"),
        (f"/major-hazard-installations/{HUGE}", "installation_id"),
        (f"/risk-reports/{HUGE}", "report_id"),
        (f"/site-plans/{HUGE}", "plan_id"),
        (f"/check-schedules/{HUGE}", "schedule_id"),
        (f"/tools/risk-band-tables/{HUGE}", "table_id"),
    ]
    failures = [refused(api, "GET", path, field=field) for path, field in cases]
    assert [f for f in failures if f] == []


def test_calculators_refuse_non_finite_and_huge_numbers(live_server, world):
    api = Api(live_server.url, "enterprise_manager")
    lec = '{"method": "LEC", "l": %s, "e": 6, "c": 15}'
    chlorine = (
        '{"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": %s}], "exposed_persons": %s}'
    )
    raw_cases = [
        ("/tools/risk-assessment", lec % "NaN", ""),
        ("/tools/risk-assessment", lec % "Infinity", ""),
        ("/tools/risk-assessment", lec % "1e309", ""),
        ("/tools/risk-assessment", lec % "-1e309", ""),
        ("/tools/major-hazard-identification", chlorine % ("NaN", "10"), ""),
        ("/tools/major-hazard-identification", chlorine % ("1e309", "10"), ""),
    ]
    failures = []
    for path, raw, field in raw_cases:
        failures.append(refused(api, "POST", path, raw=raw.encode(), field=field))
    json_cases = [
        ("/tools/risk-assessment", {"method": "LEC", "l": 10**30, "e": 6, "c": 15}, "l"),
        ("/tools/risk-assessment", {"method": "LEC", "l": "NaN", "e": 6, "c": 15}, "l"),
        ("/tools/risk-assessment", {"method": "LS", "l": 2, "s": "Infinity"}, "s"),
        ("/tools/risk-assessment", {"method": "LS", "l": 2, "s": int(HUGE)}, "s"),
        ("/tools/risk-assessment", {"method": "LS", "l": 2, "s": 2, "band_table": int(HUGE)}, "band_table"),
        ("/tools/risk-assessment", {"method": LONG, "l": 2, "s": 2}, "method"),
        ("/tools/risk-assessment", {"method": "LS", "l": 2, "s": 2, "region": LONG}, "region"),
        (
            "/tools/major-hazard-identification",
            {
                "unit_type": "storage",
                "substances": [{"name": "氯", "quantity_t": 10**30}],
                "exposed_persons": 10,
            },
            "substances.0.quantity_t",
        ),
        (
            "/tools/major-hazard-identification",
            {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": "1e-999999"}]},
            "substances.0.quantity_t",
        ),
        (
            "/tools/major-hazard-identification",
            {"unit_type": "storage", "substances": [{"name": "氯", "quantity_t": 0}]},
            "substances.0.quantity_t",
        ),
        (
            "/tools/major-hazard-identification",
            {
                "unit_type": "storage",
                "substances": [{"name": "氯", "quantity_t": 300}],
                "exposed_persons": int(HUGE),
            },
            "exposed_persons",
        ),
        (
            "/tools/major-hazard-identification",
            {
                "unit_type": "storage",
                "substances": [{"name": "氯", "quantity_t": 1}] * 101,
                "exposed_persons": 10,
            },
            "substances",
        ),
        (
            "/tools/major-hazard-identification",
            {"unit_type": "storage", "substances": [{"name": LONG, "quantity_t": 1, "category": "W2"}]},
            "substances.0.name",
        ),
    ]
    for path, body, field in json_cases:
        failures.append(refused(api, "POST", path, body, field=field))
    assert [f for f in failures if f] == []
    status, body = api("POST", "/tools/risk-assessment", {"method": "LEC", "l": 3, "e": 6, "c": 15})
    assert (status, body["score"]) == (200, 270)  # the same operation still answers good input


def test_year_1_and_year_9999_dates_are_refused(live_server, world, scene):
    manager = Api(live_server.url, "enterprise_manager")
    county = Api(live_server.url, "county_office")
    point = scene["point"].pk
    before = counts()
    failures = []
    for day in ("0001-01-01", "9999-12-31", "1900-01-01"):
        body = {"method": "LEC", "l": 3, "e": 6, "c": 15, "next_due": day}
        failures.append(refused(manager, "POST", f"/risk-points/{point}/assessments", body, field="next_due"))
        for path in ("/check-tasks", "/stats/check-tasks"):
            failures.append(refused(county, "GET", f"{path}?from={day}", field="from"))
            failures.append(refused(county, "GET", f"{path}?to={day}", field="to"))
    for year in (1, 1999, 9999, int(HUGE)):
        failures.append(refused(county, "GET", f"/risk-reports?year={year}", field="year"))
        failures.append(refused(county, "GET", f"/stats/risk-report-coverage?year={year}", field="year"))
        failures.append(refused(manager, "POST", "/risk-reports", {"year": year}, field="year"))
    assert [f for f in failures if f] == []
    assert counts() == before
    status, body = manager(
        "POST",
        f"/risk-points/{point}/assessments",
        {"method": "LEC", "l": 3, "e": 6, "c": 15, "next_due": "2030-01-01"},
    )
    assert (status, body["next_due"]) == (201, "2030-01-01")


def test_10000_character_text_is_refused_and_nothing_stored(live_server, world, scene):
    manager = Api(live_server.url, "enterprise_manager")
    admin = Api(live_server.url, "sysadmin")
    point, schedule, task = scene["point"].pk, scene["schedule"].pk, scene["task"].pk
    report = scene["report"].pk
    good_point = {"name": "罐区", "kind": "place"}
    good_installation = dict(REFERENCE_INSTALLATION)
    band_table = {
        "method": "LS",
        "code": "ls-test",
        "name": "测试",
        "source": "测试",
        "bands": [{"min_score": 0, "level": "blue"}],
    }
    rule = {"red_share": 10, "orange_share": 20, "yellow_share": 30, "source": "测试"}
    cases = [
        (manager, "POST", "/risk-points", {**good_point, "name": LONG}, "name"),
        (manager, "POST", "/risk-points", {**good_point, "location": LONG}, "location"),
        (manager, "POST", "/risk-points", {**good_point, "responsible_person": LONG}, "responsible_person"),
        (manager, "POST", "/risk-points", {**good_point, "kind": LONG}, "kind"),
        (manager, "POST", "/risk-points", {**good_point, "factor_kinds": [LONG]}, "factor_kinds.0"),
        (
            manager,
            "POST",
            "/risk-points",
            {**good_point, "accident_categories": [LONG]},
            "accident_categories.0",
        ),
        (manager, "POST", "/risk-points", {**good_point, "idempotency_key": LONG}, "idempotency_key"),
        (manager, "POST", "/major-hazard-installations", {**good_installation, "name": LONG}, "name"),
        (
            manager,
            "POST",
            "/major-hazard-installations",
            {**good_installation, "principal_phone": LONG},
            "principal_phone",
        ),
        (
            manager,
            "POST",
            "/major-hazard-installations",
            {**good_installation, "substances": [{"name": "氯", "cas": LONG, "quantity_t": 1}]},
            "substances.0.cas",
        ),
        (
            manager,
            "POST",
            "/major-hazard-installations",
            {**good_installation, "substances": [{"name": LONG, "category": "W2", "quantity_t": 1}]},
            "substances.0.name",
        ),
        (manager, "POST", f"/risk-reports/{report}/submit", {"statement": LONG}, "statement"),
        (manager, "POST", f"/risk-reports/{report}/submit", {"contact_phone": LONG}, "contact_phone"),
        (manager, "POST", f"/risk-reports/{report}/submit", {"principal_name": LONG}, "principal_name"),
        (
            manager,
            "POST",
            f"/risk-points/{point}/check-schedules",
            {"frequency": "day", "post": LONG, "content": "x"},
            "post",
        ),
        (
            manager,
            "POST",
            f"/risk-points/{point}/check-schedules",
            {"frequency": "day", "post": "x", "content": LONG},
            "content",
        ),
        (manager, "PATCH", f"/check-schedules/{schedule}", {"post": LONG}, "post"),
        (manager, "PATCH", f"/check-schedules/{schedule}", {"content": LONG}, "content"),
        (
            manager,
            "POST",
            f"/check-schedules/{schedule}/transitions",
            {"action": "deactivate", "comment": LONG},
            "comment",
        ),
        (
            manager,
            "POST",
            f"/check-tasks/{task}/complete",
            {"outcome": "hazard", "description": LONG},
            "description",
        ),
        (manager, "POST", f"/check-tasks/{task}/complete", {"outcome": "normal", "note": LONG}, "note"),
        (admin, "POST", "/tools/risk-band-tables", {**band_table, "code": LONG}, "code"),
        (admin, "POST", "/tools/risk-band-tables", {**band_table, "name": LONG}, "name"),
        (admin, "POST", "/tools/risk-band-tables", {**band_table, "source": LONG}, "source"),
        (admin, "POST", "/tools/risk-band-tables", {**band_table, "comment": LONG}, "comment"),
        (admin, "POST", "/tools/risk-map-rules", {**rule, "source": LONG}, "source"),
        (admin, "POST", "/tools/risk-map-rules", {**rule, "comment": LONG}, "comment"),
        (admin, "POST", "/tools/risk-map-rules", {**rule, "region": LONG}, "region"),
    ]
    before = counts()
    failures = [refused(api, method, path, body, field=field) for api, method, path, body, field in cases]
    raw, content_type = multipart({"name": LONG}, {"file": ("p.png", png(), "image/png")})
    failures.append(refused(manager, "POST", "/site-plans", raw=raw, content_type=content_type, field="name"))
    assert [f for f in failures if f] == []
    assert counts() == before
    scene["task"].refresh_from_db()
    scene["schedule"].refresh_from_db()
    assert (scene["task"].status, scene["schedule"].post, scene["schedule"].active) == (
        "open",
        "巡检岗",
        True,
    )
    scene["report"].refresh_from_db()
    assert (scene["report"].status, scene["report"].statement) == ("draft", "")


def test_bodies_in_the_wrong_content_type_are_refused(live_server, world, scene):
    manager = Api(live_server.url, "enterprise_manager")
    point, plan = scene["point"].pk, scene["plan"].pk
    before = counts()
    failures = []
    # a JSON operation given a multipart form, or JSON labelled as something else: 415, nothing read
    raw, content_type = multipart({"name": "罐区", "kind": "place"})
    for path in ("/risk-points", f"/risk-points/{point}/assessments", "/tools/risk-assessment"):
        failures.append(
            refused(manager, "POST", path, raw=raw, content_type=content_type, field="", status=415)
        )
    status, body = manager(
        "PUT", f"/site-plans/{plan}/placements", raw=b'{"placements": []}', content_type="text/plain"
    )
    if status != 415:
        failures.append(f"PUT placements as text/plain → {status} {body}")
    # a multipart operation given JSON: the form fields and the file are missing (422 naming them)
    body = json.dumps({"name": "总平面图", "file": "iVBORw0KGgo="}).encode()
    for path, field in (("/site-plans", "file"), (f"/risk-points/{point}/photos", "file")):
        failures.append(
            refused(manager, "POST", path, raw=body, content_type="application/json", field=field)
        )
    assert [f for f in failures if f] == []
    assert counts() == before
    assert scene["point"].photos.count() == 0


def test_coordinates_outside_the_plan_and_odd_numbers_are_refused(live_server, world, scene):
    manager = Api(live_server.url, "enterprise_manager")
    point, plan = scene["point"].pk, scene["plan"].pk
    cases = [
        ({"point": point, "x": 1.01, "y": 0.5}, "placements.0.x"),
        ({"point": point, "x": 0.5, "y": -0.01}, "placements.0.y"),
        ({"point": point, "x": "NaN", "y": 0.5}, "placements.0.x"),
        ({"point": int(HUGE), "x": 0.5, "y": 0.5}, "placements.0.point"),
        ({"point": 0, "x": 0.5, "y": 0.5}, "placements.0.point"),
    ]
    failures = [
        refused(manager, "PUT", f"/site-plans/{plan}/placements", {"placements": [item]}, field=field)
        for item, field in cases
    ]
    raw = b'{"placements": [{"point": %d, "x": 1e309, "y": 0.5}]}' % point
    failures.append(refused(manager, "PUT", f"/site-plans/{plan}/placements", raw=raw, field=""))
    assert [f for f in failures if f] == []
    assert not scene["plan"].placements.exists()
    status, body = manager(
        "PUT", f"/site-plans/{plan}/placements", {"placements": [{"point": point, "x": 1, "y": 0}]}
    )
    assert (status, [(p["x"], p["y"]) for p in body["placements"]]) == (200, [(1.0, 0.0)])
