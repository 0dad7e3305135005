"""Removing orphaned uploads: files under MEDIA_ROOT that no record refers to.

An upload is written to MEDIA_ROOT by `FieldFile.save()` before its row is committed. When the
surrounding transaction is rolled back (a refused step, a multi-photo upload where one photo is
refused) the row vanishes and the file stays, reachable by nobody. `cleanup()` finds such files and
removes them, and audits each removal (DESIGN rule 3).

What counts as referenced: the names stored in every FileField (ImageField included) of every
installed model, found through the app registry, read through `_base_manager` so that a manager
hiding rows never hides their files. Generated bulletins (`anquan.bulletins.models.Bulletin.file`)
are FileFields too, so they are kept by the same rule and need no exclusion; the only file kept
without a reference is this module's own marker `MARKER` (see `daily`).

Safety:
- Only files older than the grace period (`ORPHAN_UPLOAD_GRACE_HOURS`, at least `MIN_GRACE_HOURS`)
  are candidates, judged by their modification time. A file being stored right now is younger: Django
  writes it (or renames its temporary upload, which was written during the request) moments before
  the row is committed, in the same request.
- Candidates are listed first and the references read afterwards, so a row committed while we walk
  the disk still protects its file.
- Symbolic links are never followed and never removed; whatever they point at is left alone.
- A directory is removed only when it became empty because we removed its last file (never
  MEDIA_ROOT itself, never a directory that was empty before).
- If reading the references fails, nothing is removed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from . import audit
from .models import AuditAction

MIN_GRACE_HOURS = 1
# Kept under MEDIA_ROOT because it describes that directory: the local day of the last daily clean-up.
MARKER = ".cleanup_uploads"
AUDIT_KIND = "media.file"  # audit entries' object type; its labels are in anquan.core.audit_display.LABELS


@dataclass
class Orphan:
    name: str  # relative to MEDIA_ROOT, "/"-separated like a FileField's name
    size: int
    mtime_ns: int

    @property
    def modified(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.mtime_ns / 1e9, tz=dt.UTC)


@dataclass
class CleanupResult:
    dry_run: bool
    removed: list[Orphan] = field(default_factory=list)  # with dry_run: what would be removed
    failed: list[tuple[str, str]] = field(default_factory=list)  # (name, reason) of files we could not remove
    directories: list[str] = field(default_factory=list)  # emptied directories removed

    @property
    def bytes(self) -> int:
        return sum(o.size for o in self.removed)

    def summary(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        line = f"{verb} {len(self.removed)} orphaned uploads ({self.bytes} bytes)"
        if self.directories:
            line += f" and {len(self.directories)} emptied directories"
        if self.failed:
            line += f"; {len(self.failed)} could not be removed"
        return line


def grace_hours() -> float:
    hours = float(getattr(settings, "ORPHAN_UPLOAD_GRACE_HOURS", 24))
    if hours < MIN_GRACE_HOURS:
        raise ImproperlyConfigured(
            f"ORPHAN_UPLOAD_GRACE_HOURS must be at least {MIN_GRACE_HOURS}: a file being uploaded has no row yet"
        )
    return hours


def _root() -> Path:
    return Path(os.path.realpath(settings.MEDIA_ROOT))


def file_fields() -> list[tuple[type[models.Model], models.FileField, str]]:
    """(model, field, prefix) of every FileField whose files live under MEDIA_ROOT; `prefix` is the
    path of the field's storage location relative to MEDIA_ROOT ("" for the default storage)."""
    root = _root()
    found = []
    for model in apps.get_models():
        if model._meta.proxy:  # its concrete model is listed too
            continue
        for f in model._meta.concrete_fields:
            if not isinstance(f, models.FileField):
                continue
            location = getattr(f.storage, "location", None)
            if location is None:  # not on the local disk (object storage): nothing of ours
                continue
            relative = os.path.relpath(os.path.realpath(location), root)
            if relative == os.pardir or relative.startswith(os.pardir + os.sep):
                continue
            prefix = "" if relative == os.curdir else relative.replace(os.sep, "/") + "/"
            found.append((model, f, prefix))
    return found


def _walk(root: Path):
    """(relative name, size, mtime in ns) of every regular file below `root`, not following symbolic links."""
    pending = [root]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except FileNotFoundError:  # removed while we walk
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(info.st_mode):
                pending.append(Path(entry.path))
            elif stat.S_ISREG(info.st_mode):  # symbolic links, sockets … are neither
                yield Path(entry.path).relative_to(root).as_posix(), info.st_size, info.st_mtime_ns


def find_orphans(now: dt.datetime | None = None) -> list[Orphan]:
    """Files under MEDIA_ROOT older than the grace period that no FileField refers to, by name."""
    now = now or timezone.now()
    root = _root()
    if not root.is_dir():
        return []
    cutoff_ns = int((now.timestamp() - grace_hours() * 3600) * 1e9)
    candidates = {
        name: (size, mtime_ns)
        for name, size, mtime_ns in _walk(root)
        if mtime_ns < cutoff_ns and name != MARKER
    }
    for model, f, prefix in file_fields():
        if not candidates:
            break
        names = model._base_manager.filter(**{f"{f.attname}__isnull": False}).exclude(**{f.attname: ""})
        for name in names.values_list(f.attname, flat=True).iterator(chunk_size=5000):
            candidates.pop(prefix + name, None)
    return [Orphan(name, *candidates[name]) for name in sorted(candidates)]


def cleanup(
    *, dry_run: bool = False, now: dt.datetime | None = None, actor="cleanup_uploads"
) -> CleanupResult:
    """Remove the orphaned uploads (or only list them with `dry_run`); one audit entry per removed file."""
    result = CleanupResult(dry_run=dry_run)
    orphans = find_orphans(now)
    if dry_run:
        result.removed = orphans
        return result
    root = _root()
    emptied = set()
    for orphan in orphans:
        path = root / orphan.name
        try:
            # look again: a file rewritten, or replaced by a link or a directory, since we listed it is not
            # ours, nor one whose directory has become a link meanwhile
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode) or info.st_mtime_ns != orphan.mtime_ns:
                continue
            if Path(os.path.realpath(path.parent)) != path.parent:
                continue
            path.unlink()
        except FileNotFoundError:  # removed meanwhile (another clean-up run)
            continue
        except OSError as exc:
            result.failed.append((orphan.name, exc.strerror or str(exc)))
            continue
        result.removed.append(orphan)
        emptied.add(path.parent)
    result.directories = _remove_emptied(root, emptied)
    if result.removed:
        _audit(result, actor)
    return result


def _remove_emptied(root: Path, directories: set[Path]) -> list[str]:
    """Remove the given directories and then their parents while they are empty, stopping below `root`.
    (rmdir refuses a directory that is not empty, so an upload arriving meanwhile keeps its directory.)"""
    removed = []
    for directory in sorted(directories, key=lambda p: len(p.parts), reverse=True):
        while directory != root and root in directory.parents:
            try:
                directory.rmdir()
            except OSError:  # not empty (or already gone): so are its parents, or someone else's business
                break
            removed.append(directory.relative_to(root).as_posix())
            directory = directory.parent
    return sorted(removed)


def _printable(name: str) -> str:
    """A file name as text the database accepts (names that are not UTF-8 keep their bytes as U+FFFD)."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _audit(result: CleanupResult, actor) -> None:
    hours = grace_hours()
    with transaction.atomic():
        audit.record_subjects(
            AuditAction.DELETE,
            [
                audit.Subject(
                    kind=AUDIT_KIND,
                    key=_printable(o.name),
                    label=_printable(o.name),
                    region_code=settings.ANQUAN_PROVINCE,  # files belong to the deployment, seen from the top
                    before={
                        "name": _printable(o.name),
                        "size": o.size,
                        "modified": o.modified.replace(microsecond=0),
                    },
                )
                for o in result.removed
            ],
            actor=actor,
            comment=f"删除孤立上传文件：没有任何记录引用，且已超过{hours:g}小时未修改",
        )


def daily(now: dt.datetime | None = None, *, actor="sweep") -> CleanupResult | None:
    """`cleanup()` at most once per local day (the periodic sweep calls this every few minutes);
    None when it already ran today or another process is running it right now.

    The day of the last run is kept in the file `MARKER` in MEDIA_ROOT rather than in the database:
    it describes that directory (a test or a second deployment with another MEDIA_ROOT has its own),
    needs no table, and its lock keeps two sweep processes from cleaning at once."""
    now = now or timezone.now()
    today = timezone.localdate(now).isoformat()
    root = _root()
    if not root.is_dir():  # nothing uploaded yet: nothing to clean, and no place for the marker
        return CleanupResult(dry_run=False)
    with open(root / MARKER, "a+", encoding="ascii") as marker:
        try:
            fcntl.flock(marker, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        marker.seek(0)
        if marker.read().strip() == today:
            return None
        result = cleanup(now=now, actor=actor)
        marker.seek(0)
        marker.truncate()
        marker.write(today + "\n")
    return result
