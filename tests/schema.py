"""How the test databases are built (docs/adr/0045-test-databases-from-the-models.md).

Each pytest worker used to run every migration to build its test database: about 90 s of CPU, nearly all of it in
Django's re-rendering of the migration state (cProfile of `anquan migrate`: 92 % in `StateApps.render_multiple`),
paid twice per run (PostgreSQL and SQLite pass) and growing with every migration. The tests now build the schema from
the models (`--no-migrations`, a few seconds) and then apply here what the migrations do beyond the models' schema.
`scripts/check` (makemigrations --check) keeps models and migrations the same schema, and tests/test_migrate_forward.py
runs the real migrations on a previous release's database, so the migrations themselves stay tested.

Every RunPython / RunSQL of the project's migrations is listed below, in exactly one of three lists, and
`tests/test_schema_extras.py` fails on one that is not (a new one must say what it means for an empty database):
- `SCHEMA`: changes the schema beyond the models (extensions, special indexes, partitioning): applied by `apply()`;
- `REFERENCE`: loads reference data: `tests.conftest.ensure_reference_data` loads the same, and reloads it after a
  transactional test has flushed the tables;
- `DATA_ONLY`: rewrites existing rows, which an empty database has none of.
"""

from __future__ import annotations

from importlib import import_module

from django.db import connection


def _trigram(module) -> None:
    with connection.schema_editor() as editor:
        module.run(module.FORWARD)(None, editor)


def _partitioned_readings(module) -> None:
    with connection.schema_editor() as editor:
        module.partition(None, editor)


SCHEMA = {
    ("enterprises", "0002_trigram_search"): _trigram,  # pg_trgm and the GIN indexes of the enterprise search
    # raw readings partitioned by day on PostgreSQL, and the time indexes of readings and roll-ups
    ("monitoring", "0002_partitioned_readings"): _partitioned_readings,
}
REFERENCE = {
    ("accidents", "0002_categories"): "GB 6441 accident categories",
    ("hazards", "0002_judgement_standards"): "major hazard judgement standards",
    ("inspections", "0002_seed_checklists"): "checklist templates",
    ("orgs", "0002_reference_data"): "departments and industries",
    ("risk", "0002_reference_data"): "risk band tables (now anquan.standards)",
}
DATA_ONLY = {
    ("accounts", "0003_token_lifecycle"): "expiry of tokens issued before it",
    ("cases", "0005_case_serial_counter"): "counters started from existing cases",
    ("core", "0005_audit_carry_over"): "scope backfilled and chain rebuilt for existing audit entries",
    ("hazards", "0006_hazard_listed_level"): "listed level of existing hazards",
    ("hazards", "0009_number_existing_hazards"): "business numbers of existing hazards",
    ("jobs", "0002_one_job_model_for_all_background_work"): "phases of existing jobs",
    ("jobs", "0003_import_file_under_media_root"): "uploads of existing import jobs moved to files",
    ("regions", "0002_grid_levels_heads_enterprise_units"): "village grids of existing regions",
    ("risk", "0009_next_assessment_due"): "next assessment dates of existing risk points",
    ("risk", "0012_models_moved_to_domain_apps"): "content types of models moved to other apps",
}


def apply() -> None:
    """Apply the `SCHEMA` operations to the freshly built test database (each is a no-op where it does not apply)."""
    for (app, name), function in SCHEMA.items():
        function(import_module(f"anquan.{app}.migrations.{name}"))
