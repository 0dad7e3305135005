"""The persona × model matrix, generated from the models' `ScopeSpec`s and the route registry.

For every model with a scope and every route that serves it (list, detail, export, write; page and API),
every persona reads and writes E's records before E moves, after E moved to another county, and after
its supervising department changed. Out of scope: a detail answers 404, a list or an export leaves the
record out, a write answers 404 and changes nothing (no INSERT, UPDATE or DELETE on a table of data, not
even one undone later; the row's values unchanged); an anonymous caller is sent to the login page (pages) or answered 401 (API). In scope: the record is shown,
and a write is not refused by scope (a role that may see but not change the model's rows gets a refusal
that changes nothing). E's current records are seen by exactly the personas of VISIBLE[phase] — the old
department and county see none of them after the move, the new ones see all — while the records that
stay where they happened (closed hazards, accidents, submitted reports, done tasks) are seen by those who
saw them before.

The world is built once per module (one transaction rolled back at the end); each test moves E inside
its own savepoint, so the phases do not see each other.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from anquan.core.scope import CHANGE, ScopeSpec, restrict, who_can_see
from anquan.riskpoints.models import RiskPoint

from .registry import DETAIL, ELSEWHERE, ROUTES, WRITE
from .world import ALL, ANONYMOUS, PHASES, PNG, STAYING, VISIBLE, move

pytestmark = pytest.mark.django_db

MD5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def scoped_models() -> list[str]:
    return sorted(
        m._meta.label for m in apps.get_models() if isinstance(getattr(m, "scope", None), ScopeSpec)
    )


def test_every_scoped_model_is_in_the_matrix():
    """A model declared with a ScopeSpec later fails here until its routes are registered."""
    missing = [label for label in scoped_models() if label not in ROUTES and label not in ELSEWHERE]
    assert missing == [], f"add these models' routes to tests/scope/registry.py: {missing}"
    assert not set(ROUTES) & set(ELSEWHERE)
    assert all((Path(__file__).parents[2] / where).exists() for where in ELSEWHERE.values())
    assert set(ROUTES) <= set(scoped_models())


def test_every_registered_model_has_records_in_the_world(world):
    assert sorted(world.records) == sorted(ROUTES)


def _send(client, route, url, body=None):
    body = body or {}
    if route.upload:  # multipart POST with a PNG
        return client.post(
            url, {**body, route.upload: SimpleUploadedFile("矩阵.png", PNG, content_type="image/png")}
        )
    if route.client == "api" and route.method != "GET":
        return client.generic(route.method, url, json.dumps(body), content_type="application/json")
    if route.method == "POST":
        return client.post(url, body)
    return client.get(url)


def _text(response) -> str:
    """What the user receives, as text: a page or JSON as is, a workbook or document as its cells."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # .xlsx / .docx: the text of its XML parts, character references resolved
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return html.unescape(
                "".join(
                    archive.read(n).decode("utf-8", "replace")
                    for n in archive.namelist()
                    if n.endswith(".xml")
                )
            )
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body.decode("utf-8", "replace")


def _shows(response, route, record) -> bool:
    text = _text(response)
    if callable(route.check):
        return route.check(text, record.obj)
    if route.check == "status":
        return True
    if route.check == "id":
        return _has_id(json.loads(text), record.obj.pk)
    return record.marker in text


def _has_id(data, pk) -> bool:
    if isinstance(data, dict):
        return data.get("id") == pk or any(_has_id(v, pk) for v in data.values())
    if isinstance(data, list):
        return any(_has_id(v, pk) for v in data)
    return False


def _anonymous_answer(route) -> set[int]:
    return {401} if route.client == "api" else {302}


# a request's own traces, not a change of data: the session, a token's last use, login-attempt records
BOOKKEEPING = ('"django_session"', '"accounts_apitoken"', '"axes_')


def _data_writes(queries) -> list[str]:
    """The INSERT / UPDATE / DELETE statements a request sent to any table of data (even if later undone)."""
    return [
        q["sql"][:200]
        for q in queries
        if q["sql"].lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE")
        and not any(t in q["sql"] for t in BOOKKEEPING)
    ]


def _may_change(label, persona) -> bool:
    spec = apps.get_model(label).scope
    return spec.change is None or PERSONA_ROLES[persona] in spec.change


PERSONA_ROLES = {}


@pytest.fixture(autouse=True)
def _roles(world):
    PERSONA_ROLES.update({name: user.role for name, user in world.users.items()})


def expected_viewers(record, phase) -> set[str]:
    if record.viewers is not None:
        return record.viewers
    return STAYING if record.stays else VISIBLE[phase]


def _personas(phase) -> list[str]:
    """Every persona before the move; after it, those whose answer the move concerns (the old and the new
    county and department, E's township, grid and manager, the province) and anonymous."""
    if phase == "before":
        return ALL
    return [p for p in ALL if p not in {"township_t2", "grid_t2", "manager_other", "inspector_a"}]


@pytest.mark.parametrize("phase", PHASES)
def test_reads(world, clients, phase):
    """Every read route of every scoped model, as every persona: shown to exactly those who may see it."""
    move(world, phase)
    seen: dict[tuple[str, bool, str], object] = {}  # a parent's page serves several children: fetch it once
    failures = []
    for label, routes in sorted(ROUTES.items()):
        for route in (r for r in routes if r.kind != WRITE):
            for record in world.records[label]:
                url = route.url(world, record.obj)
                viewers = expected_viewers(record, phase)
                for persona in _personas(phase):
                    key = (persona, route.client == "api", url)
                    if key not in seen:
                        seen[key] = _send(clients[persona][key[1]], route, url)
                    response = seen[key]
                    where = (label, persona, str(route), url, record.marker)
                    if persona == ANONYMOUS:
                        if response.status_code not in _anonymous_answer(route):
                            failures.append((*where, response.status_code, "anonymous let in"))
                    elif persona in viewers:
                        if response.status_code != 200 or not _shows(response, route, record):
                            failures.append((*where, response.status_code, "should see"))
                    elif route.hidden == "either" and response.status_code in (200, 404):
                        if response.status_code == 200 and _shows(response, route, record):
                            failures.append((*where, response.status_code, "should be left out"))
                    elif route.kind == DETAIL or route.check == "status":
                        if response.status_code != 404:
                            failures.append((*where, response.status_code, "should be 404"))
                    elif response.status_code != 200 or _shows(response, route, record):
                        failures.append((*where, response.status_code, "should be left out"))
    assert failures == []


@pytest.mark.parametrize("phase", PHASES)
def test_writes(world, clients, phase):
    """Every write route of every scoped model, as every persona, on E's current record of the model."""
    move(world, phase)
    failures = []
    for label, routes in sorted(ROUTES.items()):
        model = apps.get_model(label)
        record = next((r for r in world.records[label] if not r.stays), world.records[label][0])
        viewers = expected_viewers(record, phase)
        for route in (r for r in routes if r.kind == WRITE):
            url = route.url(world, record.obj)
            for persona in _personas(phase):
                where = (label, persona, str(route), url)
                row = list(model.objects.filter(pk=record.obj.pk).values())
                refused = persona == ANONYMOUS or persona not in viewers or not _may_change(label, persona)
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    response = _send(
                        clients[persona][route.client == "api"], route, url, route.data(world, record.obj)
                    )
                    writes = _data_writes(queries) if refused else []
                    if refused and list(model.objects.filter(pk=record.obj.pk).values()) != row:
                        writes.append("the row's values changed")
                    transaction.set_rollback(True)  # an allowed write is undone for the next persona
                status = response.status_code
                if persona == ANONYMOUS:
                    ok = status in _anonymous_answer(route)
                elif persona not in viewers:
                    ok = status == 404
                else:
                    ok = status != 404 and status < 500
                if not ok:
                    failures.append((*where, status, "unexpected answer"))
                if writes:
                    failures.append((*where, status, "a refused write changed something", writes))
    assert failures == []


def test_the_old_department_sees_none_of_the_current_records_and_the_new_one_all(world, clients):
    """The must-show line, read straight from the API lists after E's department changed to 住建局."""
    move(world, "department")
    current = {
        "/api/v1/risk-points?limit=500": "风险点标记RP",
        "/api/v1/major-hazard-installations?limit=500": "重大危险源标记MH",
        "/api/v1/site-plans?limit=500": "平面图标记SP",
        "/api/v1/hazards?limit=500": "隐患标记开放HZ",
    }
    for url, marker in current.items():
        old = _text(clients["emergency_a"][1].get(url))
        new = _text(clients["housing_a"][1].get(url))
        assert marker not in old and marker in new, url
    # history stays with the department that supervised it
    hazards = "/api/v1/hazards?limit=500"
    assert "隐患标记关闭HZ" in _text(clients["emergency_a"][1].get(hazards))
    assert "隐患标记关闭HZ" not in _text(clients["housing_a"][1].get(hazards))


@pytest.mark.parametrize("phase", PHASES)
def test_who_can_see_is_restrict_read_the_other_way(world, phase):
    """Notification recipients come from `who_can_see`: for every record and every persona it answers what
    `restrict` answers, so no one is notified about what they cannot open, before or after a move."""
    move(world, phase)
    disagreements = []
    for label, records in world.records.items():
        model = apps.get_model(label)
        for record in records:
            obj = model.objects.get(pk=record.obj.pk)
            recipients = set(who_can_see(obj).values_list("pk", flat=True))
            for persona, user in world.users.items():
                sees = restrict(model, user).filter(pk=obj.pk).exists()
                if sees != (user.pk in recipients):
                    disagreements.append((label, persona, sees))
                if sees != (persona in expected_viewers(record, phase)):
                    disagreements.append((label, persona, "restrict differs from VISIBLE"))
    assert disagreements == []


def test_a_grid_worker_sees_but_may_not_change_risk_points(world, clients):
    """The change rule in RiskPoint's ScopeSpec: grid workers read an enterprise's risk points, assessing
    one is refused with 403 (not 404: they know it exists) and writes nothing; the enterprise's manager may."""
    point = world.first("riskpoints.RiskPoint")
    url = f"/api/v1/risk-points/{point.pk}/assessments"
    body = json.dumps({"method": "LS", "l": "2", "s": "3"})
    grid = clients["grid_t1"][1]
    assert grid.get(f"/api/v1/risk-points/{point.pk}").status_code == 200
    before = point.assessments.count()
    assert grid.post(url, body, content_type="application/json").status_code == 403
    assert point.assessments.count() == before
    assert restrict(RiskPoint, world.users["grid_t1"], CHANGE).filter(pk=point.pk).exists() is False
    response = clients["manager_e"][1].post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert point.assessments.count() == before + 1
