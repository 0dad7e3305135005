"""Orphaned uploads: a refused upload leaves its file on disk; `anquan cleanup_uploads` and the daily sweep
remove such files once they are older than the grace period, keep every file a record refers to, and audit
each removal."""

import datetime as dt
import io
import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from anquan.core import audit, orphans
from anquan.core.models import AuditEntry
from anquan.sweep.services import sweep

from .conftest import login
from .hazards.conftest import PNG
from .riskpoints.helpers import new_point

pytestmark = pytest.mark.django_db

HOUR = 3600
TZ = timezone.get_fixed_timezone(8 * 60)


def files(root) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def age(path, hours: float, now: dt.datetime | None = None) -> None:
    """Set the modification time of `path` to `hours` before `now` (default: the real now)."""
    at = (now or timezone.now()).timestamp() - hours * HOUR
    os.utime(path, (at, at))


def age_all(root, hours: float, now: dt.datetime | None = None) -> None:
    for name in files(root):
        age(root / name, hours, now)


def cleanup_uploads(*args) -> str:
    out = io.StringIO()
    call_command("cleanup_uploads", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def point_with_orphan(world, settings, tmp_path):
    """A risk point with two photos, and the file left behind by a refused upload of two more."""
    settings.MEDIA_ROOT = tmp_path
    point = new_point(world)
    page = login(world.users["enterprise_manager"])
    page.post(
        f"/risk/{point.pk}/photos/",
        {"photos": [SimpleUploadedFile("罐区.png", PNG), SimpleUploadedFile("阀门.png", PNG)]},
    )
    refused = page.post(
        f"/risk/{point.pk}/photos/",
        {"photos": [SimpleUploadedFile("ok.png", PNG), SimpleUploadedFile("台账.pdf", b"%PDF-1.4 x")]},
    )
    assert refused.status_code == 422
    return point, page


def test_refused_upload_leaves_an_orphan_that_the_cleanup_removes_after_the_grace(
    point_with_orphan, tmp_path
):
    point, page = point_with_orphan
    folder = f"risk/points/{point.pk}"
    # the refused upload rolled back its rows (2 photos remain), but ok.png was written before 台账.pdf was refused
    assert point.photos.count() == 2
    assert files(tmp_path) == {f"{folder}/罐区.png", f"{folder}/阀门.png", f"{folder}/ok.png"}

    age_all(tmp_path, 25)
    out = cleanup_uploads()

    assert f"removed {folder}/ok.png ({len(PNG)} bytes" in out
    assert out.strip().endswith(f"removed 1 orphaned uploads ({len(PNG)} bytes)")
    assert files(tmp_path) == {f"{folder}/罐区.png", f"{folder}/阀门.png"}
    for photo in point.photos.all():  # the referenced photos are still served
        assert b"".join(page.get(f"/risk/photos/{photo.pk}/").streaming_content) == PNG
    # a second run finds nothing
    assert cleanup_uploads().strip() == "removed 0 orphaned uploads (0 bytes)"


def test_each_removal_is_audited_and_seen_by_the_province(point_with_orphan, tmp_path, world):
    point, _ = point_with_orphan
    age_all(tmp_path, 25)
    cleanup_uploads()
    entry = AuditEntry.objects.get(model="media.file")
    assert entry.action == "delete"
    assert entry.actor_label == "cleanup_uploads"
    assert entry.object_repr == f"risk/points/{point.pk}/ok.png"
    assert entry.before["name"] == f"risk/points/{point.pk}/ok.png"
    assert entry.before["size"] == len(PNG)
    assert entry.region_code == "360000"
    assert "孤立上传文件" in entry.comment and "24小时" in entry.comment
    assert audit.verify().ok
    html = login(world.users["province_office"]).get("/audit/?model=media.file").content.decode()
    assert f"risk/points/{point.pk}/ok.png" in html and "孤立上传文件" in html
    assert {label for label, _old, _new in entry.changed_fields()} == {"文件", "大小（字节）", "最后修改时间"}
    assert (
        f"risk/points/{point.pk}/ok.png"
        not in login(world.users["county_office"]).get("/audit/").content.decode()
    )


def test_an_orphan_younger_than_the_grace_stays(point_with_orphan, tmp_path, settings):
    point, _ = point_with_orphan
    orphan = tmp_path / f"risk/points/{point.pk}/ok.png"
    age(orphan, 23)
    assert cleanup_uploads().strip() == "removed 0 orphaned uploads (0 bytes)"
    assert orphan.exists()
    settings.ORPHAN_UPLOAD_GRACE_HOURS = 48  # a longer grace set by the administrator
    age(orphan, 47)
    cleanup_uploads()
    assert orphan.exists()
    age(orphan, 49)
    cleanup_uploads()
    assert not orphan.exists()


def test_a_grace_shorter_than_an_hour_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ORPHAN_UPLOAD_GRACE_HOURS = 0.5
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        cleanup_uploads()


def test_dry_run_removes_nothing(point_with_orphan, tmp_path):
    point, _ = point_with_orphan
    age_all(tmp_path, 25)
    before = files(tmp_path)
    out = cleanup_uploads("--dry-run")
    assert f"would remove risk/points/{point.pk}/ok.png ({len(PNG)} bytes" in out
    assert f"would remove 1 orphaned uploads ({len(PNG)} bytes) (dry run: nothing removed)" in out
    assert files(tmp_path) == before
    assert not AuditEntry.objects.filter(model="media.file").exists()


def test_links_are_not_followed_and_only_emptied_directories_go(world, settings, tmp_path):
    media, outside = tmp_path / "media", tmp_path / "elsewhere"
    settings.MEDIA_ROOT = media
    (media / "hazards" / "7").mkdir(parents=True)
    (media / "hazards" / "7" / "lost.png").write_bytes(PNG)  # orphan, alone in its directories
    (media / "accidents" / "3").mkdir(parents=True)
    (media / "accidents" / "3" / "lost.png").write_bytes(PNG)  # orphan next to a kept empty directory
    (media / "accidents" / "3" / "empty").mkdir()
    (media / "spare").mkdir()  # empty before: not ours to remove
    outside.mkdir()
    (outside / "precious.docx").write_bytes(b"PK\x03\x04 not ours")
    (media / "linked-dir").symlink_to(outside, target_is_directory=True)
    (media / "linked-file.docx").symlink_to(outside / "precious.docx")
    for path in [*media.rglob("*"), outside / "precious.docx"]:
        if not path.is_symlink():
            age(path, 100)

    out = cleanup_uploads()

    assert out.strip().endswith(
        f"removed 2 orphaned uploads ({2 * len(PNG)} bytes) and 2 emptied directories"
    )
    assert (outside / "precious.docx").read_bytes() == b"PK\x03\x04 not ours"
    assert (media / "linked-dir").is_symlink() and (media / "linked-file.docx").is_symlink()
    assert not (media / "hazards").exists()  # hazards/7 emptied, then hazards
    assert (media / "accidents" / "3" / "empty").is_dir() and (media / "spare").is_dir()
    assert media.is_dir()


def test_every_file_field_of_the_project_is_consulted():
    found = {(model._meta.label, f.name, prefix) for model, f, prefix in orphans.file_fields()}
    assert {
        ("hazards.Attachment", "file", ""),
        ("accidents.AccidentPhoto", "file", ""),
        ("riskpoints.RiskPointPhoto", "file", ""),
        ("riskpoints.SitePlan", "image", ""),
        ("bulletins.Bulletin", "file", ""),  # generated .docx are FileFields: kept like any upload
        ("jobs.Job", "upload", ""),  # an import's file while its job waits or runs
        ("jobs.Job", "result_file", ""),  # a large export's workbook
    } <= found


def test_the_sweep_cleans_once_a_local_day(point_with_orphan, tmp_path):
    point, _ = point_with_orphan
    folder = tmp_path / f"risk/points/{point.pk}"
    morning = dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ)
    age_all(tmp_path, 25, now=morning)

    first = sweep(morning).uploads
    assert [o.name for o in first.removed] == [f"risk/points/{point.pk}/ok.png"]
    assert sorted(p.name for p in folder.iterdir()) == ["罐区.png", "阀门.png"]

    (folder / "later.png").write_bytes(PNG)  # another refused upload, long ago by the time of the next runs
    age(folder / "later.png", 25, now=morning)
    # 23:00 the same day (15:00 UTC): already cleaned today
    assert sweep(dt.datetime(2026, 11, 23, 23, 0, tzinfo=TZ)).uploads is None
    assert (folder / "later.png").exists()
    # 00:30 the next local day, though still 23 November in UTC (16:30)
    second = sweep(dt.datetime(2026, 11, 24, 0, 30, tzinfo=TZ)).uploads
    assert [o.name for o in second.removed] == [f"risk/points/{point.pk}/later.png"]
    assert sorted(p.name for p in folder.iterdir()) == ["罐区.png", "阀门.png"]
    assert [e.actor_label for e in AuditEntry.objects.filter(model="media.file")] == ["sweep", "sweep"]
    assert (tmp_path / orphans.MARKER).read_text().strip() == "2026-11-24"


def test_the_sweep_command_reports_the_cleanup(point_with_orphan, tmp_path):
    age_all(tmp_path, 25)
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert f"uploads: removed 1 orphaned uploads ({len(PNG)} bytes)" in out.getvalue()
    # the marker is old too by now, and stays: it is no upload, however unreferenced
    age(tmp_path / orphans.MARKER, 25)
    out = io.StringIO()
    call_command("sweep", stdout=out)
    assert "uploads: already cleaned today" in out.getvalue()
    assert cleanup_uploads().strip() == "removed 0 orphaned uploads (0 bytes)"
    assert (tmp_path / orphans.MARKER).exists()
