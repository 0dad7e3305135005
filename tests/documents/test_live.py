"""Documents over real HTTP and real concurrency: 50 issues at once in one department take 50 distinct consecutive
numbers (PostgreSQL: the counter row locked in each issue's transaction; SQLite: write transactions serialise);
downloads with a bearer token (.docx parsed back, PDF read by pdftotext, Chinese file names per RFC 6266); void
keeps the number used; what is out of scope answers 404."""

from __future__ import annotations

import json
import subprocess
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from anquan.documents import services
from anquan.documents.choices import DocumentKind, Status
from anquan.documents.models import Document, DocumentNumberCounter

from ..browserless import call, token_for
from .conftest import sample, text_of

pytestmark = pytest.mark.django_db(transaction=True)

KIND = DocumentKind.RECTIFICATION_ORDER
ISSUES = 50


@pytest.fixture
def pool_for_all():
    """PostgreSQL: a connection pool wide enough for all 50 issues to hold a transaction at once (the server's pool
    holds DB_POOL_MAX connections per process; here every issue must be in flight together, queued on the row)."""
    if connection.vendor != "postgresql":
        yield
        return
    options = connection.settings_dict["OPTIONS"]
    before = options["pool"]
    connection.close()
    connection.close_pool()
    options["pool"] = {**before, "min_size": 1, "max_size": ISSUES + 4}
    yield
    connection.close()
    connection.close_pool()
    options["pool"] = before


def test_fifty_concurrent_issues_take_fifty_consecutive_numbers(world, pool_for_all):
    inspector = world.users["inspector"]
    unit = services.unit_of(inspector)
    context = sample(KIND, world.chem_t1)
    # PostgreSQL: all 50 at once, each on its own connection, queued on the counter row. SQLite allows one writer
    # at a time (BEGIN IMMEDIATE) and lets a writer wait SQLITE_BUSY_TIMEOUT_MS: 8 at a time keep every wait short.
    workers = ISSUES if connection.vendor == "postgresql" else 8
    start = threading.Barrier(min(workers, ISSUES))

    def one(_: int) -> str:
        try:
            try:
                start.wait(timeout=30)
            except threading.BrokenBarrierError:
                pass
            return services.issue(KIND, unit, world.chem_t1, context, inspector).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        numbers = list(pool.map(one, range(ISSUES)))
    year = Document.objects.first().year
    assert sorted(numbers, key=lambda n: int(n.split("〕")[1].removesuffix("号"))) == [
        f"（濂溪）应急责改〔{year}〕{i}号" for i in range(1, ISSUES + 1)
    ]
    assert len(set(numbers)) == ISSUES
    assert sorted(Document.objects.values_list("seq", flat=True)) == list(range(1, ISSUES + 1))
    assert DocumentNumberCounter.objects.get(kind=KIND).last == ISSUES


def test_download_over_http_with_a_bearer_token_docx_and_pdf(live_server, world):
    document = services.issue(
        KIND,
        services.unit_of(world.users["inspector"]),
        world.chem_t1,
        sample(KIND, world.chem_t1),
        world.users["inspector"],
    )
    base = live_server.url
    token = token_for(base, "enterprise_manager")  # the enterprise reads what it was served

    status, headers, body = call(
        base, "GET", f"/api/v1/documents/{document.pk}/download?format=docx", token=token
    )
    assert status == 200
    disposition = headers["Content-Disposition"]
    name = f"责令限期整改指令书_{document.number}_{world.chem_t1.name}.docx"
    assert (
        disposition.startswith("attachment;")
        and "filename*=utf-8''" + urllib.parse.quote(name) in disposition
    )
    text = text_of(body)
    assert document.number in text and "王建国" in text and "2026年12月15日" in text

    status, headers, pdf = call(
        base, "GET", f"/api/v1/documents/{document.pk}/download?format=pdf", token=token
    )
    assert status == 200, pdf[:200]
    assert headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF")
    printed = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert document.number in printed.replace(" ", "")
    document.refresh_from_db()
    assert document.pdf_sha256 == services.sha256(pdf)  # cached with its own hash
    status, _, again = call(base, "GET", f"/api/v1/documents/{document.pk}/download?format=pdf", token=token)
    assert status == 200 and again == pdf  # the cached file, not a new conversion

    status, _, answer = call(base, "GET", f"/api/v1/documents/{document.pk}", token=token)
    detail = json.loads(answer)
    assert detail["number"] == document.number and detail["sha256"] == document.sha256
    assert (
        detail["enterprise"]["name"] == world.chem_t1.name and detail["context"]["deadline"] == "2026-12-15"
    )

    outsider = token_for(base, "county_office_b")
    for path in (f"/api/v1/documents/{document.pk}", f"/api/v1/documents/{document.pk}/download?format=docx"):
        assert call(base, "GET", path, token=outsider)[0] == 404
    status, _, answer = call(base, "GET", "/api/v1/documents?limit=10", token=outsider)
    assert json.loads(answer) == {"items": [], "count": 0, "count_exact": True, "next": None}


def test_void_keeps_the_number_used(live_server, world):
    unit = services.unit_of(world.users["inspector"])
    first = services.issue(KIND, unit, world.chem_t1, sample(KIND, world.chem_t1), world.users["inspector"])
    base = live_server.url
    path = f"/api/v1/documents/{first.pk}/void"

    inspector = token_for(base, "inspector")
    status, _, answer = call(base, "POST", path, {"reason": "当事人名称写错"}, token=inspector)
    assert status == 403 and json.loads(answer)["detail"][0]["message"] == "只有签发部门的负责人可以作废文书"
    supervisor = token_for(base, "emergency_supervisor")
    status, _, answer = call(base, "POST", path, {"reason": "  "}, token=supervisor)
    assert status == 422 and json.loads(answer)["detail"][0]["message"] == "请填写作废理由"

    status, _, answer = call(base, "POST", path, {"reason": "当事人名称写错"}, token=supervisor)
    assert status == 200, answer
    voided = json.loads(answer)
    assert voided["status"] == Status.VOIDED and voided["void_reason"] == "当事人名称写错"
    assert voided["number"] == first.number and voided["actions"] == []
    status, _, answer = call(base, "POST", path, {"reason": "再次"}, token=supervisor)
    assert status == 409

    second = services.issue(KIND, unit, world.chem_t1, sample(KIND, world.chem_t1), world.users["inspector"])
    assert second.seq == first.seq + 1  # the voided number is never given again
    first.refresh_from_db()
    assert first.status == Status.VOIDED
    assert list(first.events.values_list("action", flat=True)) == ["issue", "void"]
    from anquan.core.models import AuditEntry

    entry = AuditEntry.objects.get(model="documents.document", object_id=str(first.pk), action="transition")
    assert "当事人名称写错" in entry.comment
    listed = json.loads(
        call(base, "GET", f"/api/v1/documents?status=voided&enterprise={world.chem_t1.pk}", token=supervisor)[
            2
        ]
    )
    assert [d["number"] for d in listed["items"]] == [first.number]
