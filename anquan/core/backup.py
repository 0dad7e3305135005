"""Backups: the database and the uploaded files in one archive, and their restore (`anquan backup` / `restore`).

An archive (anquan-backup-YYYYMMDD-HHMMSS.tar.gz) holds
- manifest.json: when, which database kind, the app version, the applied migrations, the row count of every table
  and the number and size of the media files;
- database.dump (PostgreSQL: pg_dump's custom format) or database.sqlite3 (SQLite: a copy made through SQLite's
  online backup API, consistent while the application keeps writing);
- media/…: every file under MEDIA_ROOT (symbolic links are not followed).

On PostgreSQL the row counts are taken in the very snapshot that pg_dump reads (an exported snapshot of a
repeatable-read transaction), on SQLite from the copy itself, so the counts describe exactly what was saved; a
restore compares them with what it loaded. The media files are archived after the database snapshot: a file
uploaded meanwhile is an unreferenced extra (removed later by cleanup_uploads), never a missing reference.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


def database_kind() -> str:
    return "postgresql" if connection.vendor == "postgresql" else connection.vendor


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _database_tables(cursor) -> list[str]:
    """The database's own tables: on PostgreSQL without this session's temporary tables (the readings' staging
    table of monitoring/ingest/store.py lives as long as the connection and is never part of a backup)."""
    tables = connection.introspection.table_names(cursor)
    if connection.vendor != "postgresql":
        return tables
    cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't'")
    temporary = {name for (name,) in cursor.fetchall()}
    return [table for table in tables if table not in temporary]


def _count_tables(cursor, tables: list[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # table names come from the database itself
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _app_version() -> str:
    try:
        return metadata.version("anquan")
    except metadata.PackageNotFoundError:
        return "unknown"


# --- PostgreSQL -------------------------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    """pg_dump / pg_restore: PG_BIN_DIR if given, else the one on PATH, else the newest Debian server's."""
    if os.environ.get("PG_BIN_DIR"):
        return str(Path(os.environ["PG_BIN_DIR"]) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    if candidates:
        return str(candidates[-1])
    raise BackupError(f"{name} is missing: install PostgreSQL's client programs (Debian: postgresql-client)")


LIBPQ_PARAMETERS = {
    "host", "hostaddr", "port", "dbname", "user", "passfile", "service", "options", "connect_timeout",
    "sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "gssencmode", "target_session_attrs",
}  # fmt: skip


def _pg_target() -> tuple[str, dict[str, str]]:
    """libpq's connection string for the configured database, as the open connection resolved it (host, socket
    folder, port, user, database, sslmode …, however DATABASE_URL gave them), and the environment with the
    password (never on a command line)."""
    from psycopg.conninfo import make_conninfo

    connection.ensure_connection()
    info = connection.connection.info
    env = dict(os.environ)
    if info.password:
        env["PGPASSWORD"] = info.password
    # only what every libpq knows: psycopg's own (newer) libpq reports options an older pg_dump refuses
    params = {k: v for k, v in info.get_parameters().items() if k in LIBPQ_PARAMETERS}
    return make_conninfo(**params), env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        )


def _dump_postgresql(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            conninfo, env = _pg_target()
            _run(
                [_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
                 f"--dbname={conninfo}"],
                env,
            )  # fmt: skip
            counts = _count_tables(cursor, _database_tables(cursor))
            migrations = _applied_migrations(cursor)
        finally:
            cursor.execute("COMMIT")
    return counts, migrations


def _is_empty_postgresql() -> bool:
    return not connection.introspection.table_names()


def _clear_postgresql() -> None:
    """Drop the tables, and the functions the migrations made (the text index's gram functions, the roll-up's
    trigger function): the dump creates them again. An extension's own functions (pg_trgm) stay."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(table)} CASCADE")
        cursor.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = current_schema() AND NOT EXISTS "
            "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"
        )
        for (routine,) in cursor.fetchall():
            cursor.execute(f"DROP ROUTINE IF EXISTS {routine} CASCADE")


def _restore_postgresql(dump: Path) -> None:
    conninfo, env = _pg_target()
    connection.close()
    _run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={conninfo}", str(dump)],
        env,
    )  # fmt: skip


# --- SQLite -----------------------------------------------------------------------------------------------


def _sqlite_path() -> str:
    return str(connection.settings_dict["NAME"])


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [name for (name,) in rows]


def _dump_sqlite(target: Path) -> tuple[dict[str, int], dict[str, list[str]]]:
    source = sqlite3.connect(_sqlite_path())
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)  # SQLite's online backup: a consistent copy while others write
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        counts = _count_tables(cursor, _sqlite_tables(copy))
        migrations = _applied_migrations(cursor)
    finally:
        copy.close()
        source.close()
    return counts, migrations


def _is_empty_sqlite() -> bool:
    path = _sqlite_path()
    if not Path(path).exists():
        return True
    db = sqlite3.connect(path)
    try:
        return not _sqlite_tables(db)
    finally:
        db.close()


def _restore_sqlite(copy: Path) -> None:
    connection.close()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(_sqlite_path(), timeout=30)
    try:
        source.backup(target)  # replaces every page of the target, tables it had included
        target.execute("PRAGMA journal_mode=WAL")
    finally:
        target.close()
        source.close()


# --- media ------------------------------------------------------------------------------------------------


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    files = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not (Path(folder) / d).is_symlink())
        files += [Path(folder) / n for n in sorted(names) if (Path(folder) / n).is_file() and not (Path(folder) / n).is_symlink()]  # fmt: skip
    return files


# --- the two commands -------------------------------------------------------------------------------------


@dataclass
class BackupResult:
    path: Path
    manifest: dict


def backup(output_dir: Path, *, now: dt.datetime | None = None) -> BackupResult:
    now = now or timezone.now()
    kind = database_kind()
    if kind not in ("postgresql", "sqlite"):
        raise BackupError(f"no backup method for a {kind} database")
    output_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    final = output_dir / f"anquan-backup-{stamp}.tar.gz"
    if final.exists():
        raise BackupError(f"{final} already exists")
    # the audit chain's head anchored beside the backups before the snapshot: the archive holds at least the
    # anchored entries, and the anchor file (outside the database) is copied off the machine with the archives
    from . import audit

    audit.chain_pending()
    try:
        anchor = audit.anchor()
    except OSError as exc:
        raise BackupError(f"cannot write the audit anchor to {settings.AUDIT_ANCHOR_FILE}: {exc}") from exc
    with tempfile.TemporaryDirectory(prefix="anquan-backup-") as tmp:
        work = Path(tmp)
        if kind == "postgresql":
            db_file = work / PG_DUMP
            counts, migrations = _dump_postgresql(db_file)
        else:
            db_file = work / SQLITE_COPY
            counts, migrations = _dump_sqlite(db_file)
        media_root = Path(settings.MEDIA_ROOT)
        files = _media_files(media_root)
        manifest = {
            "format": FORMAT,
            "created_at": now.astimezone(dt.UTC).isoformat(),
            "database": kind,
            "database_file": db_file.name,
            "app_version": _app_version(),
            "migrations": migrations,
            "tables": counts,
            "media": {"files": len(files), "bytes": sum(f.stat().st_size for f in files)},
            "audit_anchor": anchor.line(),
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        partial = output_dir / (final.name + ".partial")
        descriptor = os.open(
            partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600
        )  # it holds password hashes
        try:
            with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                archive.add(work / MANIFEST, arcname=MANIFEST)
                archive.add(db_file, arcname=db_file.name)
                for file in files:
                    archive.add(
                        file, arcname=f"{MEDIA}/{file.relative_to(media_root).as_posix()}", recursive=False
                    )
                raw.flush()
                os.fsync(raw.fileno())
            partial.rename(final)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return BackupResult(final, manifest)


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError("not an Anquan backup: the archive has no manifest.json") from None
    file = archive.extractfile(member)
    if file is None:
        raise BackupError("not an Anquan backup: its manifest.json is not a file")
    manifest = json.loads(file.read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _unknown_migrations(manifest: dict) -> list[str]:
    """Migrations applied in the backup that this version of the code does not have (a newer version's backup)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names
            if (app, name) not in known]  # fmt: skip


@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    mismatches: dict[str, tuple[int, int | None]]
    media_files: int


def restore(archive_path: Path, *, force: bool = False) -> RestoreResult:
    kind = database_kind()
    with tarfile.open(archive_path, mode="r:*") as archive:
        manifest = read_manifest(archive)
        if manifest["database"] != kind:
            raise BackupError(
                f"the backup is of a {manifest['database']} database; DATABASE_URL names a {kind} one"
            )
        unknown = _unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                "the backup was made by a newer version of Anquan (migrations this version does not have: "
                + ", ".join(unknown[:5])
                + "); install that version first"
            )
        media_root = Path(settings.MEDIA_ROOT)
        empty = _is_empty_postgresql() if kind == "postgresql" else _is_empty_sqlite()
        media_present = bool(_media_files(media_root))
        if not force and (not empty or media_present):
            what = "the database has tables" if not empty else f"{media_root} has files"
            raise BackupError(
                f"refusing to overwrite: {what}; restore into an empty database or give --force"
            )
        with tempfile.TemporaryDirectory(prefix="anquan-restore-") as tmp:
            work = Path(tmp)
            db_name = manifest["database_file"]
            if db_name not in (PG_DUMP, SQLITE_COPY):
                raise BackupError(f"unexpected database file {db_name!r} in the manifest")
            archive.extract(db_name, path=work, filter="data")
            if kind == "postgresql":
                if not empty:
                    _clear_postgresql()
                _restore_postgresql(work / db_name)
            else:
                _restore_sqlite(work / db_name)
        # media: regular files under media/ only, never outside MEDIA_ROOT (tarfile's "data" filter refuses
        # absolute paths, "..", links pointing out and device files)
        if force and media_root.is_dir():
            for file in _media_files(media_root):
                file.unlink()
        media_root.mkdir(parents=True, exist_ok=True)
        members = []
        for member in archive.getmembers():
            if member.name.startswith(MEDIA + "/") and member.isfile():
                member = tarfile.data_filter(member, str(media_root))
                member.name = member.name[len(MEDIA) + 1 :]
                members.append(member)
        archive.extractall(path=media_root, members=members, filter="data")
    connection.close()
    with connection.cursor() as cursor:
        counts = _count_tables(cursor, _database_tables(cursor))
    mismatches = {
        table: (expected, counts.get(table))
        for table, expected in manifest["tables"].items()
        if counts.get(table) != expected
    }
    return RestoreResult(manifest, counts, mismatches, len(members))
