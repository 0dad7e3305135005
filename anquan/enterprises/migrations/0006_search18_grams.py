"""PostgreSQL: the gram functions of the indexed text search (anquan/core/grams.py, docs/adr/0050) and GIN
indexes on an enterprise's name and pinyin initials by their character uni- and bigrams, so that 1- and
2-character searches (消防, 电气) use an index too (pg_trgm extracts no trigram from them); a text_pattern_ops
index for the credit code prefix (`uscc LIKE 'X%'`, which the unique index in C.UTF-8 cannot serve). SQLite:
nothing here (the enterprise registry is scanned; hazards/migrations/0010 indexes the hazards)."""

from django.db import migrations

GRAMS = """
CREATE OR REPLACE FUNCTION anquan_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
  FROM (SELECT lower(t) AS l) x, generate_series(1, length(x.l)) i, unnest(ARRAY[substr(x.l, i, 1), substr(x.l, i, 2)]) g
$$
"""
QUERY_GRAMS = """
CREATE OR REPLACE FUNCTION anquan_query_grams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN length(x.l) < 2 THEN ARRAY[x.l]
         ELSE (SELECT array_agg(DISTINCT substr(x.l, i, 2)) FROM generate_series(1, length(x.l) - 1) i) END
  FROM (SELECT lower(t) AS l) x
$$
"""
FORWARD = [
    GRAMS,
    QUERY_GRAMS,
    "CREATE INDEX IF NOT EXISTS enterprise_grams ON enterprises_enterprise "
    "USING gin (anquan_grams(name || ' ' || name_initials))",
    "CREATE INDEX IF NOT EXISTS enterprise_uscc_prefix ON enterprises_enterprise (uscc text_pattern_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS enterprise_uscc_prefix",
    "DROP INDEX IF EXISTS enterprise_grams",
    "DROP FUNCTION IF EXISTS anquan_query_grams(text)",
    "DROP FUNCTION IF EXISTS anquan_grams(text)",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0005_ledger18_list_indexes")]
    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
