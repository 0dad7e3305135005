"""The test databases are built from the models (tests/schema.py): every migration operation that does more than the
models say must be listed there, so that a test database never silently lacks what a migrated one has."""

import pkgutil
from importlib import import_module

from django.apps import apps
from django.db import connection, migrations

from . import schema


def _special_operations() -> set[tuple[str, str]]:
    """(app label, migration name) of every project migration with a RunPython or RunSQL, read from the files (the
    migration loader sees none while the test run has migrations switched off)."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("anquan."):
            continue
        try:
            package = import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in pkgutil.iter_modules(package.__path__):
            module = import_module(f"{config.name}.migrations.{info.name}")
            migration = getattr(module, "Migration", None)
            if migration is None:
                continue
            if any(isinstance(op, migrations.RunPython | migrations.RunSQL) for op in migration.operations):
                found.add((config.label, info.name))
    return found


def test_every_special_migration_is_accounted_for():
    listed = set(schema.SCHEMA) | set(schema.REFERENCE) | set(schema.DATA_ONLY)
    found = _special_operations()
    assert found - listed == set(), (
        "a migration runs Python or SQL that the test databases (built from the models) would not have: list it in "
        f"tests/schema.py as SCHEMA, REFERENCE or DATA_ONLY: {sorted(found - listed)}"
    )
    assert listed - found == set(), (
        f"listed in tests/schema.py but no longer a special migration: {sorted(listed - found)}"
    )
    assert len(listed) == len(schema.SCHEMA) + len(schema.REFERENCE) + len(schema.DATA_ONLY), "listed twice"


def test_the_enterprise_search_has_its_trigram_indexes(db):
    """What SCHEMA applies is there: on PostgreSQL the trigram indexes of the enterprise search (a name search of a
    province's registry depends on them, bench/RESULTS.md)."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "enterprises_enterprise")
    trigram = {name for name in indexes if name.endswith("_trgm")}
    if connection.vendor == "postgresql":
        assert trigram == {"enterprise_name_trgm", "enterprise_initials_trgm"}
    else:
        assert trigram == set()
