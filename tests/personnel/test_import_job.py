"""The personnel import at scale as a background job (issue #17 item 3, docs/adr/0002): a 5,000-row file is queued,
the worker checks every row, the job's page (and the API's job) reports each bad row — ID check digit, unknown
category or job, expiry before issue, duplicate certificate — and nothing is created; the same file fixed creates all
5,000 people and certificates; a worker killed while it writes leaves nothing behind. Small files are answered at
once, on the page and by `POST /api/v1/personnel/import`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from anquan.core import audit
from anquan.jobs import worker
from anquan.jobs.models import Job, JobKind, JobPhase, JobStatus
from anquan.personnel.models import Certificate, Person
from tests.browserless import call, token_for
from tests.conftest import login
from tests.live.conftest import multipart
from tests.test_import_jobs import _database_url

from .test_import import _unique_id, workbook

pytestmark = pytest.mark.django_db(transaction=True)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = 5000


def _bad_id(i: int) -> str:
    good = _unique_id(i)
    return good[:-1] + ("0" if good[-1] != "0" else "1")


BAD_ROWS = {
    3: {"id_number": _bad_id(1)},  # check digit wrong
    1200: {"job_code": "99.9", "expires_on": "2020-01-01"},  # unknown job, expiry before issue
    2500: {"kind": "焊工证"},  # an unknown certificate category
    4999: {"number": "T360400000010"},  # the certificate number of row 12
}


def _element(page: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:p|div)>', page, re.S)
    assert found, f"{testid} not on the page"
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_5000_rows_with_bad_rows_import_nothing_and_the_fixed_file_imports_all(world, live_server):
    manager = world.users["enterprise_manager"]
    client = login(manager)
    upload = SimpleUploadedFile("人员.xlsx", workbook(world.chem_t1.uscc, ROWS, BAD_ROWS), XLSX)
    response = client.post("/personnel/import/", {"file": upload, "mode": "import"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.status, job.total_rows) == (JobKind.PERSONNEL_IMPORT, JobStatus.QUEUED, ROWS)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'data-testid="job-progress"' in page and "hx-trigger" in page  # polls while it waits

    worker.run_pending()  # the worker (`anquan worker`) runs what is queued
    page = client.get(f"/jobs/{job.pk}/progress").content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page
    assert "共读取 5000 行，导入 0 行，4 行有错误。" in page
    job.refresh_from_db()
    assert job.bad_rows == [3, 1200, 2500, 4999] and job.imported == 0
    messages = {(row, column): message for row, column, message in job.errors}
    assert messages[(3, "身份证号码")] == "身份证号码校验位错误（GB 11643-1999）"
    assert messages[(1200, "特种作业工种代码")] == "特种作业目录中没有此工种"
    assert messages[(1200, "有效期至")] == "有效期至不能早于发证日期"
    assert messages[(2500, "证书种类")].startswith("证书种类应为：特种作业操作证")
    assert messages[(4999, "证书编号")] == "证书编号重复"
    for (row, _column), message in messages.items():  # each shown on the page: row, column, message
        assert f"<td>{row}</td>" in page and message in page
    assert not Person.objects.exists() and not Certificate.objects.exists()

    # the same file fixed, through the API this time: 202 with the job, polled until done
    token = token_for(live_server.url, "enterprise_manager")
    body, content_type = multipart(
        {"mode": "import", "file": ("人员.xlsx", workbook(world.chem_t1.uscc, ROWS), XLSX)}
    )
    status, _, answer = call(
        live_server.url, "POST", "/api/v1/personnel/import", token=token, content_type=content_type, raw=body
    )
    queued = json.loads(answer)
    assert status == 202, answer
    assert queued["status"] == "queued" and queued["total"] == ROWS and queued["kind"] == "personnel_import"
    worker.run_pending()
    status, _, answer = call(live_server.url, "GET", queued["url"], token=token)
    done = json.loads(answer)
    assert status == 200 and done["status"] == "done" and done["percent"] == 100
    assert done["errors"] == [] and done["imported"] == ROWS
    assert done["created"] == {"people": ROWS, "certificates": ROWS}
    assert Person.objects.filter(enterprise=world.chem_t1).count() == ROWS
    assert (
        Certificate.objects.filter(person__enterprise=world.chem_t1, job_name="低压电工作业").count() == ROWS
    )
    page = client.get(f"/jobs/{done['id']}/progress").content.decode()
    assert "共读取 5000 行，导入 5000 行，0 行有错误。" in page
    assert re.findall(r"\d+", _element(page, "import-created")) == ["5000", "5000"]
    # another user cannot read the job
    other = token_for(live_server.url, "county_office")
    assert call(live_server.url, "GET", queued["url"], token=other)[0] == 404


def test_a_worker_killed_while_writing_leaves_nothing(world):
    """The rows are written in one transaction after every row passed: a worker killed in the middle of it
    leaves no person and no certificate, and the job's page says the import was interrupted and undone."""
    manager = world.users["enterprise_manager"]
    client = login(manager)
    upload = SimpleUploadedFile("人员.xlsx", workbook(world.chem_t1.uscc, ROWS), XLSX)
    assert client.post("/personnel/import/", {"file": upload, "mode": "import"}).status_code == 302
    job = Job.objects.get()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "anquan.settings",
    }
    process = subprocess.Popen([sys.executable, "-m", "anquan.manage", "worker", "--no-sweep"], env=env)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:  # every row checked: the write has begun
            job.refresh_from_db()
            if job.phase == JobPhase.WRITING:
                break
            assert process.poll() is None, "the worker ended before writing"
            time.sleep(0.05)
        process.kill()
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.phase == JobPhase.WRITING, "killed too late"
    assert not Person.objects.exists() and not Certificate.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "导入中断" in page and "已全部撤销" in page
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert not Person.objects.exists() and audit.verify().ok


def test_a_small_file_is_answered_at_once(world, live_server):
    """Up to IMPORT_BACKGROUND_ROWS rows: the page shows the outcome, the API answers 200 with it; a check
    writes nothing; a bad file is a field error (422), a role that may not register people 403."""
    client = login(world.users["enterprise_manager"])
    small = workbook(world.chem_t1.uscc, 3, {3: {"id_number": _bad_id(1)}})
    page = client.post(
        "/personnel/import/", {"file": SimpleUploadedFile("a.xlsx", small, XLSX), "mode": "import"}
    )
    assert page.status_code == 422 and "身份证号码校验位错误" in page.content.decode()
    assert not Person.objects.exists()

    token = token_for(live_server.url, "enterprise_manager")

    def post(data: bytes, mode: str, name: str = "人员.xlsx", user_token: str = token):
        body, content_type = multipart({"mode": mode, "file": (name, data, XLSX)})
        status, _, answer = call(
            live_server.url,
            "POST",
            "/api/v1/personnel/import",
            token=user_token,
            content_type=content_type,
            raw=body,
        )
        return status, json.loads(answer)

    status, answer = post(workbook(world.chem_t1.uscc, 3), "check")
    assert status == 200 and answer["checked_only"] and answer["errors"] == [] and answer["imported"] == 0
    assert not Person.objects.exists()
    status, answer = post(small, "import")
    assert status == 200 and answer["imported"] == 0
    assert [(e["row"], e["column"]) for e in answer["errors"]] == [(3, "身份证号码")]
    status, answer = post(workbook(world.chem_t1.uscc, 3), "import")
    assert status == 200 and (answer["imported"], answer["people"], answer["certificates"]) == (3, 3, 3)
    assert Person.objects.count() == 3
    status, answer = post(b"not a workbook", "import")
    assert status == 422 and answer["detail"][0]["field"] == "file"
    status, answer = post(workbook(world.chem_t1.uscc, 1), "import", name="a.csv")
    assert status == 422 and "xlsx" in answer["detail"][0]["message"]
    status, answer = post(
        workbook(world.chem_t1.uscc, 1), "import", user_token=token_for(live_server.url, "grid_worker")
    )
    assert status == 403 and "不能登记" in answer["detail"][0]["message"], answer
