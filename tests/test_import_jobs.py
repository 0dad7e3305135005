"""Imports bounded and, when large, run in the background (issue #9): limits stated and enforced, every cell
cleaned, a large file answered at once and imported by a job whose progress the page polls, batches that
commit one by one, and an import that does not finish leaving nothing of its file behind."""

import io
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
import zipfile

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from openpyxl import Workbook

from anquan.core.models import AuditEntry, Notification
from anquan.hazards import excel
from anquan.hazards.models import Hazard
from anquan.jobs import runner, worker
from anquan.jobs.models import Job, JobKind, JobPhase, JobStatus

from .conftest import login

HEADER = ["隐患描述*", "发现时间", "判定依据", "整改措施", "责任人", "资金（元）", "期限"]


def ledger(n: int, bad_row: int | None = None, **cells) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for i in range(n):
        ws.append([f"隐患{i:04d}", "2026-11-20 09:00", "", "清理杂物", "王五", 100, "2030-12-20"])
    if bad_row is not None:
        ws.cell(row=bad_row, column=6, value="很多")  # funds that are not a number
    for ref, value in cells.items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_shared_string(data: bytes, ref: str, text: str) -> bytes:
    """`data` with cell `ref` turned into a shared string `text`, written as Excel writes it (control
    characters escaped as _xHHHH_, which readers turn back into the character)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            part = src.read(name)
            if name == "xl/worksheets/sheet1.xml":
                part = re.sub(
                    rf'<c r="{ref}"[^>]*>.*?</c>'.encode(), f'<c r="{ref}" t="s"><v>0</v></c>'.encode(), part
                )
            elif name == "[Content_Types].xml":
                part = part.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif name == "xl/_rels/workbook.xml.rels":
                part = part.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
                    b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(name, part)
        dst.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
            f"<si><t>{text}</t></si></sst>",
        )
    return out.getvalue()


def upload(data: bytes, name="自查台账.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return file


# --- bounds, on the page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_states_the_limits(world):
    page = login(world.users["enterprise_manager"]).get("/hazards/import/").content.decode()
    assert "文件不超过5MB，每次最多5000行" in page and "超过500行的文件在后台导入" in page
    page = login(world.users["county_office"]).get("/enterprises/import/").content.decode()
    assert "文件不超过5MB，每次最多5000行" in page


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 4096
    data = ledger(300)
    assert len(data) > 4096
    page = login(world.users["enterprise_manager"]).post(
        "/hazards/import/", {"file": upload(data), "mode": "valid_only"}
    )
    assert "文件超过4KB，请分成几个文件导入" in page.content.decode()
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    big = upload(data + b"\x00" * (5 * 1024 * 1024))
    page = login(world.users["enterprise_manager"]).post(
        "/hazards/import/", {"file": big, "mode": "valid_only"}
    )
    assert "文件超过5MB，请分成几个文件导入" in page.content.decode()
    assert not Hazard.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_row_limit_is_refused(world, settings):
    settings.IMPORT_MAX_ROWS = 20
    page = login(world.users["enterprise_manager"]).post(
        "/hazards/import/", {"file": upload(ledger(21)), "mode": "valid_only"}
    )
    assert "文件超过20行，请分成几个文件导入（每次最多20行）" in page.content.decode()
    assert not Hazard.objects.exists()
    page = login(world.users["enterprise_manager"]).post(
        "/hazards/import/", {"file": upload(ledger(20)), "mode": "valid_only"}
    )
    assert Hazard.objects.count() == 20


@pytest.mark.django_db
def test_every_cell_is_cleaned(world):
    data = with_shared_string(ledger(1), "A2", "配电箱_x000B_未接地_x0001_")
    result = excel.import_self_check(data, actor=world.users["enterprise_manager"], mode="all_or_nothing")
    assert result.ok and result.imported == 1
    assert Hazard.objects.get().description == "配电箱\n未接地"


# --- in the background, through a real server --------------------------------------------------------


class Browser:
    """A plain HTTP client with a session cookie, as a browser posts a form."""

    def __init__(self, base: str, user):
        self.base = base
        self.opener = urllib.request.build_opener(NoRedirect())
        client = Client()
        client.force_login(user)
        self.session = client.cookies["sessionid"].value

    def get(self, path):
        request = urllib.request.Request(self.base + path)
        request.add_header("Cookie", f"sessionid={self.session}")
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.headers, response.read().decode()

    def post_file(self, path, fields: dict, data: bytes, name: str):
        status, headers, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in {**fields, "csrfmiddlewaretoken": token}.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        request.add_header("Cookie", f"sessionid={self.session}; csrftoken={cookie}")
        request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_a_large_import_answers_at_once_and_runs_in_the_background(live_server, world, settings):
    settings.IMPORT_BACKGROUND_ROWS = 30
    manager = world.users["enterprise_manager"]
    browser = Browser(live_server.url, manager)
    status, headers = browser.post_file(
        "/hazards/import/", {"mode": "all_or_nothing"}, ledger(120), "自查台账.xlsx"
    )
    assert status == 302
    job = Job.objects.get()
    assert headers["Location"] == f"/jobs/{job.pk}/"
    assert job.owner == manager and job.kind == JobKind.HAZARD_IMPORT and job.total_rows == 120
    status, _, page = browser.get(f"/jobs/{job.pk}/")
    assert status == 200 and 'data-testid="job-progress"' in page
    worker.run_pending()  # the worker (`anquan worker`) runs what is queued
    status, _, partial = browser.get(f"/jobs/{job.pk}/progress")
    assert 'data-status="done"' in partial and "hx-trigger" not in partial  # polling stops
    assert "共读取 120 行，导入 120 行，0 行有错误。" in partial
    assert Hazard.objects.filter(enterprise=world.chem_t1).count() == 120
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.imported == 120 and not job.upload
    # queued, started, finished: each audited
    assert AuditEntry.objects.filter(model="jobs.job", object_id=str(job.pk)).count() == 3
    # someone else's job is not found
    other = Browser(live_server.url, world.users["county_office"])
    with pytest.raises(urllib.error.HTTPError) as missing:
        other.get(f"/jobs/{job.pk}/")
    assert missing.value.code == 404


@pytest.mark.django_db(transaction=True)
def test_all_or_nothing_in_the_background_imports_nothing_when_a_row_is_bad(live_server, world, settings):
    settings.IMPORT_BACKGROUND_ROWS = 30
    browser = Browser(live_server.url, world.users["enterprise_manager"])
    status, _ = browser.post_file(
        "/hazards/import/", {"mode": "all_or_nothing"}, ledger(120, bad_row=118), "自查台账.xlsx"
    )
    assert status == 302
    job = Job.objects.get()
    worker.run_pending()  # the worker (`anquan worker`) runs what is queued
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.imported == 0
    assert job.errors == [[118, "资金（元）", "整改资金（元）应为数字"]]
    assert not Hazard.objects.exists() and not Notification.objects.exists()


def _database_url() -> str:
    """The test database, as a DATABASE_URL for another process."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return urllib.parse.urlunsplit(
        urllib.parse.urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}")
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_way_is_undone(world):
    """The worker process killed while a job writes leaves committed batches behind; the next look at the
    job (the worker's process is gone) undoes them, so nothing of the file stays, and the job is failed —
    never left running."""
    manager = world.users["enterprise_manager"]
    job = runner.submit(
        JobKind.HAZARD_IMPORT,
        owner=manager,
        mode="valid_only",
        data=ledger(400),
        file_name="a.xlsx",
        total_rows=400,
    )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),  # where the job's uploaded file is
        "DJANGO_SETTINGS_MODULE": "anquan.settings",
    }
    process = subprocess.Popen([sys.executable, "-m", "anquan.manage", "worker", "--no-sweep"], env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # wait until at least one batch has committed
            job.refresh_from_db()
            if job.created_ids:
                break
            assert process.poll() is None, "the worker ended before writing"
            time.sleep(0.2)
        process.kill()
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    job.refresh_from_db()
    written = Hazard.objects.count()
    assert job.status == JobStatus.RUNNING and job.phase == JobPhase.WRITING
    assert 0 < written < 400 and written == len(job.created_ids)
    page = login(manager).get(f"/jobs/{job.pk}/").content.decode()
    assert "导入中断" in page and "已全部撤销" in page
    assert not Hazard.objects.exists()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.created_ids == []
    assert AuditEntry.objects.filter(model="hazards.hazard", action="delete").count() == written
    from anquan.core import audit

    assert audit.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_large_enterprise_import_runs_as_a_job(world, settings):
    from anquan.enterprises.models import Enterprise

    from .test_excel_import import good_row, workbook

    settings.IMPORT_BACKGROUND_ROWS = 100
    client = login(world.users["county_office"])
    rows = [good_row(n, world.t1.code) for n in range(1, 301)]
    response = client.post(
        "/enterprises/import/", {"file": upload(workbook(rows), "企业.xlsx"), "mode": "valid_only"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    worker.run_pending()  # the worker (`anquan worker`) runs what is queued
    page = client.get(f"/jobs/{job.pk}/progress").content.decode()
    assert "共读取 300 行，导入 300 行，0 行有错误。" in page
    assert Enterprise.objects.filter(name__startswith="测试企业").count() == 300
