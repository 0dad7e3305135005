"""Slow work started from a page or the API runs on the task queue (issue #10 item 7): through the production
server with the worker it embeds, a province's quarterly bulletin asked for on the page shows its progress and
then the download while another user's pages answer as usual; the API answers 202 and the job is polled with a
token; another user's job is not found; a job that fails says why in Chinese; large exports become jobs; a job
whose worker died is never left running."""

import datetime as dt
import io
import json
import re
import statistics
import threading
import time
import urllib.request
import uuid

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from anquan.bulletins.models import Bulletin
from anquan.core.models import AuditEntry
from anquan.jobs import runner, worker
from anquan.jobs.models import Job, JobKind, JobStatus

from .accidents.conftest import jiujiang_history  # noqa: F401 (fixture)
from .browserless import Session, call, token_for
from .conftest import PASSWORD, login
from .test_server import serving

pytestmark = pytest.mark.django_db(transaction=True)

JOB_BOX = re.compile(rb'data-aq-job="(/jobs/(\d+)/status)"')


def argon2(user) -> str:
    """The persona's password hashed as the server (production hashers) checks it."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user.username


def poll(fetch, deadline_s: float = 180):
    """`fetch()` → job JSON, repeated until the job has ended (what the page's script and a client do)."""
    end = time.monotonic() + deadline_s
    seen = []
    while time.monotonic() < end:
        job = fetch()
        seen.append((job["status"], job["percent"]))
        if job["status"] in ("done", "failed"):
            return job, seen
        time.sleep(0.25)
    raise AssertionError(f"job did not end: {seen[-5:]}")


def ready(base: str, deadline_s: float = 300) -> None:
    """Wait until a web worker answers (booting them on a busy machine can take longer than one request's
    timeout)."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            with urllib.request.urlopen(base + "/login/", timeout=120) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(1)


class Reader(threading.Thread):
    """Another user reading pages over and over while the job runs: (start, end, status) of each request."""

    def __init__(self, base: str, username: str):
        super().__init__(daemon=True)
        self.session = Session(base)
        self.session.login(username, PASSWORD)
        self.samples: list[tuple[dt.datetime, dt.datetime, int]] = []
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            start = timezone.now()
            try:
                status = self.session.request("GET", "/hazards/")[0]
            except OSError:  # the server went away (the test failed): stop
                return
            self.samples.append((start, timezone.now(), status))


def rows(xlsx: bytes) -> list[tuple]:
    """The header and the rows of an export, below its title and "截至" rows."""
    return list(load_workbook(io.BytesIO(xlsx), read_only=True).active.iter_rows(values_only=True))[2:]


def seconds(samples) -> list[float]:
    return [(end - start).total_seconds() for start, end, _ in samples]


def test_a_province_bulletin_from_the_page_and_the_api_while_others_work(tmp_path, world, jiujiang_history):  # noqa: F811
    province, county = argon2(world.users["province_office"]), argon2(world.users["county_office"])
    other_county = argon2(world.users["county_office_b"])
    # a replaced yearly template that cannot render: that job fails, and says why
    broken = Document()
    broken.add_paragraph("{{ ytd.summary ")
    broken.save(tmp_path / "yearly_evaluation.docx")
    with serving(tmp_path, BULLETIN_TEMPLATE_DIR=str(tmp_path)) as (base, process, log):
        ready(base)
        reader = Reader(base, county)
        browser = Session(base)
        browser.login(province, PASSWORD)
        # the baseline: the other user's page with nothing in the background
        for _ in range(10):
            reader.session.request("GET", "/hazards/")
        baseline = []
        for _ in range(10):
            start = timezone.now()
            assert reader.session.request("GET", "/hazards/")[0] == 200
            baseline.append((start, timezone.now(), 200))

        reader.start()
        # the fourth quarter of 2026 runs: confirmed (anquan/bulletins/README.md)
        form = {
            "kind": "quarterly_bulletin",
            "region": "360000",
            "year": "2026",
            "quarter": "4",
            "confirm_incomplete": "1",
        }
        csrf = browser.csrf_token("/bulletins/")
        status, _, page = browser.request(
            "POST",
            "/bulletins/generate/",
            {"csrfmiddlewaretoken": csrf, "form_key": uuid.uuid4().hex, **form},
        )
        assert status == 200  # followed the redirect back to the bulletins page, now showing the job
        status_url, job_id = (m.decode() for m in JOB_BOX.search(page).groups())
        assert b'data-testid="job-box"' in page and b"js/jobs.js" in page
        job, seen = poll(lambda: json.loads(browser.request("GET", status_url)[2]))
        reader.stop.set()
        reader.join(30)

        # the page's JSON went from waiting or running to done, with the download
        assert job["status"] == "done" and job["error"] == "", (job, log.read_text()[-3000:])
        assert {s for s, _ in seen} <= {"queued", "running", "done"} and seen[0][0] in ("queued", "running")
        bulletin = Bulletin.objects.get()
        assert job["result_url"] == f"/bulletins/{bulletin.pk}/download/"
        today = timezone.localdate()  # the quarter runs: its title says up to which day
        assert (
            job["result_name"]
            == f"江西省2026年第四季度（截至{today.month}月{today.day}日）安全生产形势通报.docx"
        )
        status, headers, body = browser.request("GET", job["result_url"])
        assert status == 200 and "attachment" in headers["Content-Disposition"]
        text = "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        assert "江西省" in text and "第四季度" in text
        status, _, page = browser.request("GET", f"/bulletins/?job={job_id}")
        assert b'data-status="done"' in page and job["result_url"].encode() in page

        # meanwhile the other user was answered as usual: requests made and answered while the job ran
        row = Job.objects.get(pk=job_id)
        during = [s for s in reader.samples if s[0] >= row.started_at and s[1] <= row.finished_at]
        assert all(status == 200 for *_, status in reader.samples)
        assert during, (row.started_at, row.finished_at, len(reader.samples))
        base_p50, during_max = statistics.median(seconds(baseline)), max(seconds(during))
        print(
            f"\nbulletin job {(row.finished_at - row.started_at).total_seconds():.2f} s; other user's /hazards/: "
            f"baseline p50 {base_p50 * 1000:.0f} ms, {len(during)} requests during the job, "
            f"p50 {statistics.median(seconds(during)) * 1000:.0f} ms, max {during_max * 1000:.0f} ms"
        )
        # answered in the usual way, not held until the job was done
        assert during_max < min(5.0, (row.finished_at - row.started_at).total_seconds() / 2)

        # the API: 202 with the job, polled with a token until the .docx is there
        token = token_for(base, county)
        status, _, body = call(
            base,
            "POST",
            "/api/v1/bulletins",
            {
                "kind": "quarterly_bulletin",
                "region": "360402",
                "year": 2026,
                "quarter": 4,
                "confirm_incomplete": True,
            },
            token=token,
        )
        accepted = json.loads(body)
        assert (
            status == 202
            and accepted["status"] == "queued"
            and accepted["url"] == f"/api/v1/jobs/{accepted['id']}"
        )
        job, _ = poll(lambda: json.loads(call(base, "GET", accepted["url"], token=token)[2]))
        assert job["status"] == "done" and job["result_url"].startswith("/api/v1/bulletins/")
        status, headers, body = call(base, "GET", job["result_url"], token=token)
        assert status == 200 and "濂溪区" in "\n".join(p.text for p in Document(io.BytesIO(body)).paragraphs)
        # another user's job: 404 on the API and on the page's status
        stranger = token_for(base, other_county)
        assert call(base, "GET", accepted["url"], token=stranger)[0] == 404
        assert call(base, "GET", f"/api/v1/jobs/{job_id}", token=token)[0] == 404  # the province's
        assert reader.session.request("GET", status_url)[0] == 404
        assert reader.session.request("GET", f"/bulletins/?job={job_id}")[0] == 404

        # a job that fails (the replaced template is broken) says so in Chinese on the page that asked
        status, _, body = call(
            base,
            "POST",
            "/api/v1/bulletins",
            {"kind": "yearly_evaluation", "region": "360402", "year": 2026, "confirm_incomplete": True},
            token=token,
        )
        assert status == 202
        failed, _ = poll(lambda: json.loads(call(base, "GET", json.loads(body)["url"], token=token)[2]))
        assert failed["status"] == "failed" and failed["result_url"] is None
        assert "公报模板“yearly_evaluation.docx”有误，无法生成" in failed["error"]
        page = reader.session.request("GET", f"/jobs/{failed['id']}/")[2].decode()
        assert "公报模板“yearly_evaluation.docx”有误，无法生成" in page and 'data-status="failed"' in page
    # every step of every job is in the audit log: queued, running, done / failed
    for row in Job.objects.all():
        actions = list(
            AuditEntry.objects.filter(model="jobs.job", object_id=str(row.pk)).values_list(
                "action", flat=True
            )
        )
        assert actions == ["create", "transition", "transition"], (row.pk, actions)
    assert "Anquan worker started" in log.read_text()


def test_a_large_export_becomes_a_job_with_its_download(live_server, world, settings):
    settings.EXPORT_BACKGROUND_ROWS = 2
    from anquan.enterprises.models import Enterprise

    county = world.users["county_office"]
    browser = Session(live_server.url)
    browser.login(county.username, PASSWORD)
    listed = Enterprise.objects.filter(region_code__startswith="360402").count()
    assert listed > 2
    status, _, page = browser.request("GET", "/enterprises/export.xlsx")
    job = Job.objects.get()
    assert status == 200 and f'data-aq-job="/jobs/{job.pk}/status"'.encode() in page  # redirected to its page
    assert job.kind == JobKind.ENTERPRISE_EXPORT and job.status == JobStatus.QUEUED and b"js/jobs.js" in page
    worker.run_pending()
    status = json.loads(browser.request("GET", f"/jobs/{job.pk}/status")[2])
    assert status["status"] == "done" and status["result_url"] == f"/jobs/{job.pk}/download"
    code, headers, body = browser.request("GET", status["result_url"])
    assert code == 200 and headers["Content-Disposition"].startswith("attachment")
    assert len(rows(body)) == listed + 1  # the header and every enterprise the county sees
    stranger = Session(live_server.url)
    stranger.login(world.users["county_office_b"].username, PASSWORD)
    assert stranger.request("GET", status["result_url"])[0] == 404
    # the API: above the threshold 202 and a job; under it the file at once
    token = token_for(live_server.url, county.username)
    code, _, body = call(live_server.url, "GET", "/api/v1/hazards/export", token=token)
    assert code == 200  # the county has no hazards: under the threshold
    code, _, body = call(live_server.url, "GET", "/api/v1/enterprises/export?region=360402", token=token)
    queued = json.loads(body)
    assert code == 202 and queued["kind"] == "enterprise_export"
    assert queued["url"] == f"/api/v1/jobs/{queued['id']}"
    worker.run_pending()
    done = json.loads(call(live_server.url, "GET", queued["url"], token=token)[2])
    assert done["result_url"] == f"/api/v1/jobs/{queued['id']}/download"
    code, headers, body = call(live_server.url, "GET", done["result_url"], token=token)
    assert code == 200 and len(rows(body)) == listed + 1


def test_a_job_whose_worker_is_gone_is_marked_failed(world):
    """Never 'running' forever: a worker on another machine that stopped sending its heartbeat, or a worker on
    this machine whose process is gone (its pid now another process's), has its job failed; a job whose
    worker is alive stays running however long it takes (a worker killed for real: tests/test_import_jobs.py)."""
    import os
    import socket

    owner = world.users["city_office"]
    old = timezone.now() - runner.stale_after() * 2
    workers = {
        "elsewhere": "another-host:4242:99",
        "pid reused": f"{socket.gethostname()}:{os.getpid()}:1",
        "alive": runner.worker_id(),
    }
    jobs = {}
    for name, worker_name in workers.items():
        job = runner.submit(JobKind.BULLETIN, owner=owner, params={"form": {}, "today": "2026-11-22"})
        Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker=worker_name, updated_at=old)
        jobs[name] = job
    page = login(owner).get(f"/jobs/{jobs['elsewhere'].pk}/").content.decode()
    assert "后台任务中断" in page
    status = {name: Job.objects.get(pk=job.pk).status for name, job in jobs.items()}
    assert status == {"elsewhere": "failed", "pid reused": "failed", "alive": "running"}
