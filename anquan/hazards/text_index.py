"""The index behind the ledger's `q=` search (docs/adr/0050-bigram-text-search.md, anquan/core/grams.py).

PostgreSQL: a GIN expression index on the character grams of number, description and place
(migrations/0010); the database keeps it with every write, nothing to maintain here.

SQLite: a contentless FTS5 table (rowid = hazard id) of the same grams as hex tokens, and tokens of the areas
the hazard lies in (`grams.area_tokens`: a county's search asks the index for its county alone), kept by
triggers on the hazard table that call `anquan_grams` and `anquan_area` (registered on every Django connection
by anquan.core.grams; a write through a bare sqlite3 shell fails with "no such function" rather than leave the
index behind).
A migration that rebuilds the hazard table on SQLite drops its triggers; `ensure`, run after every
migrate, puts them back and refills the table when it had to. `rebuild` refills it from scratch
(`anquan rebuild-text-index`).
"""

TABLE = "hazards_hazard_grams"
INDEX = "hazard_text_grams"  # PostgreSQL
EXPRESSION = "anquan_grams(coalesce(number, '') || ' ' || description || ' ' || address)"  # PostgreSQL
_ROW = "anquan_grams({0}.number, {0}.description, {0}.address) || ' ' || anquan_area({0}.region_code)"
_INSERT = f"INSERT INTO {TABLE}(rowid, grams) VALUES (new.id, {_ROW.format('new')});"
_DELETE = f"INSERT INTO {TABLE}({TABLE}, rowid, grams) VALUES ('delete', old.id, {_ROW.format('old')});"
TRIGGERS = {
    f"{TABLE}_insert": f"AFTER INSERT ON hazards_hazard BEGIN {_INSERT} END",
    f"{TABLE}_update": (
        f"AFTER UPDATE OF number, description, address, region_code ON hazards_hazard BEGIN {_DELETE} {_INSERT} END"
    ),
    f"{TABLE}_delete": f"AFTER DELETE ON hazards_hazard BEGIN {_DELETE} END",
}


def rebuild(connection) -> int:
    """Refill the SQLite table from the hazards; the number of hazards indexed (PostgreSQL: 0, its index is
    kept by the database)."""
    if connection.vendor != "sqlite":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
        cursor.execute(
            f"INSERT INTO {TABLE}(rowid, grams) SELECT id, {_ROW.format('hazards_hazard')} FROM hazards_hazard"
        )
        return cursor.rowcount


def ensure(connection) -> bool:
    """Create the SQLite table and triggers where missing (refilling the table then); True if it did."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
            [TABLE + "%"],
        )
        present = {name for (name,) in cursor.fetchall()}
        if "hazards_hazard" not in connection.introspection.table_names(cursor):
            return False
        if TABLE in present and all(name in present for name in TRIGGERS):
            return False
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(grams, content='', detail='none', tokenize='ascii')"
        )
        for name, body in TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
    rebuild(connection)
    return True


def drop(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
