"""`anquan backup` and `anquan restore` as an operator runs them: a backup of the running database (whichever
the suite runs on) restored by a separate process into a fresh database and media folder — the same rows in
every table, an intact audit chain, the uploaded photo there byte for byte — and a restore that refuses to
overwrite data."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection

from anquan.core.backup import restore as restore_in_process
from anquan.hazards import services as reporting

from .hazards.conftest import PNG, inspected, photo

pytestmark = pytest.mark.django_db(transaction=True)


def table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def anquan(*args, env: dict) -> subprocess.CompletedProcess:
    """A management command in its own process, with the given database and media folder."""
    environment = {**os.environ, **env}
    command = [sys.executable, "-m", "anquan.manage", *args]
    return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600)


@pytest.fixture
def fresh_database(tmp_path):
    """(DATABASE_URL, count-reader) of an empty database of the kind the suite runs on: a new SQLite file, or a
    new database in the same PostgreSQL cluster (dropped afterwards)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"

        def counts():
            db = sqlite3.connect(path)
            names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            result = table_counts(db.cursor(), [n for n in names if not n.startswith("sqlite_")])
            db.close()
            return result

        yield f"sqlite:///{path}", counts
        return

    import psycopg

    name = f"anquan_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(os.environ["DATABASE_URL"])
    info = connection.connection.info  # where the suite's own database is (socket folder, port, user)
    params = {**info.get_parameters(), "dbname": name, "password": info.password or None}

    def counts():
        with psycopg.connect(**params) as pg, pg.cursor() as cursor:
            # the tables Django sees: a partitioned table's rows are counted through it, not per partition
            cursor.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
            )
            return table_counts(cursor, [n for (n,) in cursor.fetchall()])

    yield urlunsplit(url._replace(path=f"/{name}")), counts
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_a_fresh_database(world, tmp_path, fresh_database, settings):
    target_url, restored_counts = fresh_database
    hazard = inspected(world, deadline="2026-12-31", description="储罐区防火堤破损")
    attachment = reporting.add_attachment(
        hazard, photo("防火堤.png"), stage="report", actor=world.users["inspector"]
    )
    if connection.vendor == "postgresql":
        # a temporary table of this connection (as readings' ingestion leaves one) is no part of the backup
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS monitoring_reading_stage (LIKE monitoring_reading)"
            )
    out = io.StringIO()
    call_command("backup", output=tmp_path / "backups", stdout=out, stderr=io.StringIO())
    archive = Path(out.getvalue().strip())
    assert archive.parent == tmp_path / "backups" and archive.name.startswith("anquan-backup-")
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds password hashes

    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't'")
            tables = sorted(set(tables) - {name for (name,) in cursor.fetchall()})
        source = table_counts(cursor, tables)
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = tar.getnames()
    assert manifest["database"] == connection.vendor
    assert manifest["tables"] == source
    assert source["hazards_hazard"] == 1 and source["hazards_attachment"] == 1
    assert source["core_auditentry"] > 10
    assert "0001_initial" in manifest["migrations"]["hazards"]
    assert manifest["media"] == {"files": 1, "bytes": len(PNG)}
    assert f"media/{attachment.file.name}" in names

    media = tmp_path / "restored-media"
    # the anchors written beside the backups (by the backup itself): the restored log must match them
    env = {
        "DATABASE_URL": target_url,
        "MEDIA_ROOT": str(media),
        "AUDIT_ANCHOR_FILE": str(settings.AUDIT_ANCHOR_FILE),
    }
    done = anquan("restore", str(archive), env=env)
    assert done.returncode == 0, done.stderr
    assert "as in its manifest; 1 media files" in done.stdout

    assert restored_counts() == source
    verified = anquan("audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert f"{source['core_auditentry']} entries verified" in verified.stdout
    assert (media / attachment.file.name).read_bytes() == PNG

    # the restored database now has data: a second restore is refused and changes nothing
    again = anquan("restore", str(archive), env=env)
    assert again.returncode != 0
    assert "refusing to overwrite: the database has tables" in again.stderr
    assert restored_counts() == source
    # --force replaces what is there: a stray file goes, the tables are the backup's again
    (media / "stray.txt").write_text("x")
    forced = anquan("restore", "--force", str(archive), env=env)
    assert forced.returncode == 0, forced.stderr
    assert restored_counts() == source
    assert not (media / "stray.txt").exists() and (media / attachment.file.name).read_bytes() == PNG


def test_restore_refuses_a_database_with_data_or_of_another_kind(world, tmp_path):
    out = io.StringIO()
    call_command("backup", output=tmp_path, stdout=out, stderr=io.StringIO())
    archive = Path(out.getvalue().strip())
    from anquan.core.backup import BackupError

    with pytest.raises(BackupError, match="refusing to overwrite: the database has tables"):
        restore_in_process(archive)  # the running database, with the world in it
    # a backup of the other kind of database is refused whatever --force says
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
    other = {"sqlite": "postgresql", "postgresql": "sqlite"}[manifest["database"]]
    forged = tmp_path / "other.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        data = json.dumps({**manifest, "database": other}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match=f"the backup is of a {other} database"):
        restore_in_process(forged, force=True)
